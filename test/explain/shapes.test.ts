// Explanations of a trained CNN on the shapes data set, whose images come with object masks:
// where the attribution mass lies against the mask, Integrated Gradients' completeness as steps
// grow, the model-randomization check, and `layerwise explain` writing a PNG and JSON. The
// example shapes-cnn is trained once, seeded, on fewer images and epochs than it is written for.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RunControl } from '../../src/engine/control';
import { train } from '../../src/engine/trainer';
import { ExplainSession } from '../../src/explain/explain';
import { main } from '../../src/cli/main';
import type { Terminal } from '../../src/cli/common';
import type { AttributionMethod, ExplainResult } from '../../src/explain/types';
import { REPO_ROOT, TSX_IMPORT, removeWorkspace, tempWorkspace } from '../engine/helpers';
import { decodePng } from './png-decode';

const EXAMPLE = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'shapes-cnn.nn.yaml'), 'utf8');
/** 1,600 images and 5 epochs: about 99 % validation accuracy in about 12 s on two cores. */
const MODEL = EXAMPLE.replace(/samples: 3000/, 'samples: 1600').replace(/epochs: 8/, 'epochs: 5');
/** Validation samples the averages run over. */
const SAMPLES = 24;

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('explain on a trained shapes CNN', function () {
  this.timeout(180000);
  let ws: string;
  let file: string;
  let checkpoint: string;
  let trained: ExplainSession;
  let initial: ExplainSession;
  let validationAccuracy: number;

  before(async () => {
    assert.notStrictEqual(MODEL, EXAMPLE, 'the example still has the sample and epoch counts this test shortens');
    ws = tempWorkspace('lw-explain-shapes-');
    file = path.join(ws, 'shapes-cnn.nn.yaml');
    fs.writeFileSync(file, MODEL);
    const run = await train({ modelPath: file, text: MODEL, options: { workspace: ws, runDir: 'run', threads: 2 } }, { run: 1, emit: () => undefined, control: new RunControl() });
    const accuracy = run.best?.valMetrics?.accuracy ?? 0;
    console.log(`      trained shapes-cnn: validation accuracy ${(100 * accuracy).toFixed(1)} %`);
    assert.ok(accuracy > 0.9, `the CNN learned the shapes (validation accuracy ${accuracy})`);
    validationAccuracy = accuracy;
    checkpoint = path.join(ws, 'run', 'best.ckpt');
    trained = await ExplainSession.open({ modelPath: file, text: MODEL, checkpoint, options: { workspace: ws, threads: 2 } });
    initial = await ExplainSession.open({ modelPath: file, text: MODEL, options: { workspace: ws, threads: 2 } });
  });
  after(() => removeWorkspace(ws));

  async function masses(session: ExplainSession, method: AttributionMethod): Promise<{ mass: number; share: number; results: ExplainResult[] }> {
    const results: ExplainResult[] = [];
    for (let i = 0; i < SAMPLES; i++) results.push(await session.explain('validation', i, { method, steps: 32, randomizationCheck: false }));
    return { mass: mean(results.map((r) => r.mask!.attributionMass)), share: mean(results.map((r) => r.mask!.share)), results };
  }

  it('puts more of its attribution mass inside the object mask than the mask covers of the image', async () => {
    const rows: string[] = [];
    const measured: Record<string, { mass: number; share: number }> = {};
    for (const method of ['gradient', 'integrated_gradients', 'occlusion'] as const) {
      const t = await masses(trained, method);
      measured[method] = t;
      assert.ok(t.results.every((r) => r.mask && r.mask.values.length === 28 * 28 && r.target.predicted));
      let row = `${method.padEnd(21)} trained ${(100 * t.mass).toFixed(1)} %`;
      if (method !== 'integrated_gradients') {
        const u = await masses(initial, method);
        measured[`${method}/initial`] = u;
        row += `, initial weights ${(100 * u.mass).toFixed(1)} %`;
      }
      rows.push(`${row}; mask share ${(100 * t.share).toFixed(1)} %`);
    }
    console.log(`      attribution mass inside the object mask (mean over ${SAMPLES} validation images):\n${rows.map((r) => `        ${r}`).join('\n')}`);
    const g = measured.gradient;
    assert.ok(g.mass > 1.25 * g.share && g.mass > g.share + 0.05, `saliency: ${g.mass} in the mask vs a share of ${g.share}`);
    for (const method of ['integrated_gradients', 'occlusion']) {
      const m = measured[method];
      assert.ok(m.mass > 0.5 && m.mass > 2 * m.share, `${method}: ${m.mass} in the mask vs a share of ${m.share}`);
    }
    // Occlusion is what the model does with the object, not how bright it is: training moves it there.
    assert.ok(measured.occlusion.mass > measured['occlusion/initial'].mass + 0.1, 'occlusion mass: trained vs initial weights');
  });

  it("keeps Integrated Gradients' completeness gap small, and smaller with more steps", async () => {
    const stepsList = [4, 16, 64, 256];
    const gaps = stepsList.map(() => [] as number[]);
    for (let i = 0; i < 6; i++) {
      for (const [k, steps] of stepsList.entries()) {
        const r = await trained.explain('validation', i, { method: 'integrated_gradients', steps, randomizationCheck: false });
        const c = r.completeness!;
        assert.ok(Math.abs(c.sum - r.attributions.reduce((a, b) => a + b, 0)) < 1e-6 * Math.max(1, Math.abs(c.sum)));
        assert.ok(Math.abs(c.score - r.score) < 1e-9);
        gaps[k].push(c.relativeGap);
      }
    }
    console.log(`      IG relative completeness gap (mean over 6 images): ${stepsList.map((s, k) => `${s} steps ${(100 * mean(gaps[k])).toFixed(3)} %`).join(', ')}`);
    for (let k = 1; k < stepsList.length; k++) assert.ok(mean(gaps[k]) < mean(gaps[k - 1]), `mean gap shrinks from ${stepsList[k - 1]} to ${stepsList[k]} steps`);
    assert.ok(gaps[2].every((g) => g < 0.05), `every gap under 5 % at 64 steps: ${gaps[2]}`);
    assert.ok(gaps[3].every((g) => g < 0.01), `every gap under 1 % at 256 steps: ${gaps[3]}`);
  });

  it("the index's predictions give the accuracy training measured, and a sample given as values explains like the sample", async () => {
    const index = await trained.index('validation');
    assert.strictEqual(index.samples.length, 320);
    assert.deepStrictEqual([index.classNames, index.input.kind, index.input.range?.[0]], [['circle', 'square', 'triangle', 'cross'], 'image', 0]);
    // best.ckpt is the epoch whose validation accuracy the run reported.
    assert.ok(Math.abs(index.accuracy! - validationAccuracy) < 1e-9, `index ${index.accuracy} vs training ${validationAccuracy}`);
    const wrong = index.samples.find((s) => s.label !== s.predicted) ?? index.samples[0];
    const sample = await trained.explain('validation', wrong.sample, { method: 'integrated_gradients', steps: 16 });
    assert.strictEqual(sample.predictions[0].index, wrong.predicted);
    const given = await trained.explainInput(sample.input.values, { method: 'integrated_gradients', steps: 16 });
    assert.deepStrictEqual([given.attributions, given.predictions, given.mask], [sample.attributions, sample.predictions, undefined]);
  });

  it('the randomization check tells the trained model from re-initialised weights', async () => {
    // Re-initialising with the run's own seed gives the weights training started from.
    const runSeed = trained.prepared.run.seed;
    const rhos: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = await trained.explain('validation', i, { method: 'gradient', randomizationSeed: runSeed });
      assert.ok(t.randomization && !t.randomization.alike, `sample ${i}: trained vs initial weights ρ = ${t.randomization?.spearman}`);
      rhos.push(t.randomization.spearman);
      const d = await trained.explain('validation', i, { method: 'gradient' });
      assert.ok(!d.randomization!.alike, `sample ${i}: trained vs a fresh initialisation ρ = ${d.randomization!.spearman}`);
      // The model that is its own re-initialisation is flagged: its map is the re-initialised one.
      const u = await initial.explain('validation', i, { method: 'gradient', randomizationSeed: runSeed });
      assert.ok(u.randomization!.alike && Math.abs(u.randomization!.spearman - 1) < 1e-9, `sample ${i}: initial weights vs themselves`);
      reference.push((await trained.explain('validation', i, { method: 'gradient_x_input' })).randomization!.spearman);
    }
    console.log(`      randomization check, mean Spearman ρ over 8 images: gradient ${mean(rhos).toFixed(3)} (trained vs its initial weights); gradient × input ${mean(reference).toFixed(3)} (vs a fresh initialisation)`);
  });

  it('`layerwise explain` prints predictions and checks and writes a valid PNG and the JSON', async () => {
    const out = path.join(ws, 'out');
    const r = spawnSync(
      process.execPath,
      [...TSX_IMPORT, path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'explain', 'shapes-cnn.nn.yaml', '--checkpoint', 'run/best.ckpt', '--sample', '3', '--method', 'ig', '--steps', '32', '--out', 'out/heatmap.png', '--json', 'out/attributions.json', '--threads', '2'],
      { cwd: ws, encoding: 'utf8', timeout: 120000 },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Sample 3 of \d+ in the validation split \(label: (circle|square|triangle|cross)\)/m);
    assert.match(r.stdout, /^Predictions: (circle|square|triangle|cross) \d+\.\d %(, \w+ \d+\.\d %){3}$/m);
    assert.match(r.stdout, /^Method: Integrated Gradients \(32 steps, baseline zeros\) - \d+ model evaluations/m);
    assert.match(r.stdout, /^Completeness: sum of attributions .* gap .* \(\d+\.\d\d %\)$/m);
    assert.match(r.stdout, /^Randomization check: Spearman rank correlation -?\d\.\d{3} with re-initialised weights/m);
    assert.match(r.stdout, /^Wrote out\/heatmap\.png \(input \| map \| re-initialised model's map; diverging colours/m);

    const png = decodePng(fs.readFileSync(path.join(out, 'heatmap.png')));
    // Three 28-pixel panels drawn 6x (168 pixels) with 6-pixel gaps.
    assert.deepStrictEqual([png.width, png.height, png.bitDepth, png.colorType], [3 * 168 + 2 * 6, 168, 8, 2]);
    assert.deepStrictEqual(png.chunks, ['IHDR', 'IDAT', 'IEND']);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'attributions.json'), 'utf8')) as ExplainResult;
    assert.deepStrictEqual([json.sample, json.split, json.input.shape, json.attributions.length, json.mapShape, json.options.steps], [3, 'validation', [1, 28, 28], 784, [28, 28], 32]);
    assert.ok(json.completeness && json.randomization && json.mask);
    // The input panel is the image itself: its grey levels follow the pixel values.
    const px = json.input.values;
    const lo = Math.min(...px);
    const hi = Math.max(...px);
    for (const i of [0, 200, 405, 783]) {
      const [row, col] = [Math.floor(i / 28), i % 28];
      const drawn = png.pixels[((row * 6 + 3) * png.width + col * 6 + 3) * 3];
      assert.ok(Math.abs(drawn - (255 * (px[i] - lo)) / (hi - lo)) <= 1, `pixel ${i}`);
    }

    // Argument errors and --help never reach the engine: run them in this process.
    const lines = { out: [] as string[], err: [] as string[] };
    const term: Terminal = { log: (l) => lines.out.push(l), error: (l) => lines.err.push(l), write: () => undefined, isTTY: false, columns: 100 };
    assert.strictEqual(await main(['explain', 'shapes-cnn.nn.yaml', '-c', 'run/best.ckpt', '--method', 'lime'], term), 2);
    assert.match(lines.err.join('\n'), /--method must be one of ig, gradient/);
    assert.strictEqual(await main(['explain', 'shapes-cnn.nn.yaml', '-c', 'run/best.ckpt', '--window', '0'], term), 2);
    assert.match(lines.err.join('\n'), /--window needs a positive integer/);
    assert.strictEqual(await main(['explain', '--help'], term), 0);
    for (const flag of ['--checkpoint', '--sample', '--split', '--method', '--target', '--steps', '--baseline', '--samples', '--noise', '--window', '--stride', '--out', '--json']) assert.ok(lines.out.join('\n').includes(flag), flag);
    assert.strictEqual(await main(['--help'], term), 0);
    assert.match(lines.out.join('\n'), /layerwise explain <model>/);
  });
});
