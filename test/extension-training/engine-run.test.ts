// The editor's view of real runs: the engine trains small models in-process, and the session
// logic, the run index and the chart data are checked against what it wrote and streamed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatEpochLine } from '../../src/cli/epoch-line';
import { readCheckpoint } from '../../src/engine/checkpoint';
import { RunControl } from '../../src/engine/control';
import type { EngineEvent, TrainOptions } from '../../src/engine/protocol';
import { train } from '../../src/engine/trainer';
import { bestEpoch, isComplete, listRuns, readRunData, runDetail, runsOfModel, parseJsonLines } from '../../src/extension/training/runIndex';
import { TrainingSession } from '../../src/extension/training/trainingSession';
import { gradPoint } from '../../src/extension/training/metricSeries';
import { removeWorkspace, tempWorkspace, writeModel } from '../engine/helpers';

const MODEL = `
name: blobs-mlp
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 16, activation: relu}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.02}
training: {epochs: 4, batch_size: 16, seed: 3, validation_split: 0.25}
data: {source: blobs, samples: 240, classes: 3}
`;

async function run(file: string, text: string, options: TrainOptions, onEvent?: (e: EngineEvent, c: RunControl) => void): Promise<EngineEvent[]> {
  const control = new RunControl();
  const events: EngineEvent[] = [];
  await train({ modelPath: file, text, options }, { run: 1, control, emit: (e) => (events.push(e), onEvent?.(e, control)) });
  return events;
}

describe('extension-training: real runs', function () {
  this.timeout(60000);
  let ws: string;
  let file: string;
  beforeEach(() => {
    ws = tempWorkspace('lw-training-');
    file = writeModel(ws, 'blobs', MODEL);
  });
  afterEach(() => removeWorkspace(ws));

  it('streams histograms at their rate and keeps steps.jsonl beside metrics.jsonl', async () => {
    const events = await run(file, MODEL, { workspace: ws, histogramIntervalSeconds: 0.25, gradStatsIntervalSeconds: 0.05, maxStepEventsPerSecond: 1000 });
    const hist = events.filter((e): e is Extract<EngineEvent, { type: 'histograms' }> => e.type === 'histograms');
    assert.ok(hist.length >= 1, 'at least one histograms event');
    const h = hist[0].params.find((p) => p.name.startsWith('h.') && p.param === 'weight')!;
    assert.ok(h, `params: ${hist[0].params.map((p) => p.name).join(', ')}`);
    // 2×16 weights, every one counted; gradients of a real batch are not all zero.
    assert.strictEqual(h.weight.counts.reduce((a, b) => a + b, 0), 32);
    assert.strictEqual(h.gradient.counts.reduce((a, b) => a + b, 0), 32);
    assert.ok(h.gradient.meanAbs > 0);
    const started = events.find((e) => e.type === 'started') as Extract<EngineEvent, { type: 'started' }>;
    const steps = parseJsonLines(fs.readFileSync(path.join(started.runDir, 'steps.jsonl'), 'utf8'));
    assert.strictEqual(steps.length, events.filter((e) => e.type === 'step').length);
    // grads.jsonl: one line per gradStats event, read back as the live run's chart points.
    const gradEvents = events.filter((e): e is Extract<EngineEvent, { type: 'gradStats' }> => e.type === 'gradStats');
    assert.ok(gradEvents.length >= 2, `${gradEvents.length} gradStats events`);
    for (const p of gradEvents[0].params) assert.ok(Number.isFinite(p.gradMeanAbs) && p.gradMeanAbs! > 0 && p.elements! > 0, `${p.name}: ${p.gradMeanAbs} over ${p.elements}`);
    const [rec] = listRuns(ws);
    const saved = readRunData(rec).grads;
    assert.deepStrictEqual(saved.map((g) => g.step), gradEvents.map((e) => e.step));
    for (const [i, g] of saved.entries()) {
      const live = gradPoint(gradEvents[i].step, gradEvents[i].params).layers;
      assert.deepStrictEqual(Object.keys(g.layers).sort(), ['h', 'out']);
      for (const l of Object.keys(live)) assert.ok(Math.abs(g.layers[l] - live[l]) <= 1e-3 * live[l], `step ${g.step} ${l}: ${g.layers[l]} vs ${live[l]}`);
    }
  });

  it('histograms leave the run bit-identical', async () => {
    await run(file, MODEL, { workspace: ws, runDir: 'a' });
    await run(file, MODEL, { workspace: ws, runDir: 'b', histogramIntervalSeconds: 0.25 });
    const a = readCheckpoint(path.join(ws, 'a', 'last.ckpt'));
    const b = readCheckpoint(path.join(ws, 'b', 'last.ckpt'));
    assert.strictEqual(a.header.dataSha256, b.header.dataSha256);
    assert.ok(a.tensors.size > 0);
  });

  it('turns the event stream into the CLI’s epoch lines, chart series, gradients and a run the index lists', async () => {
    const session = new TrainingSession('blobs-mlp', 0.02);
    const logs: string[] = [];
    const events = await run(file, MODEL, { workspace: ws, gradStatsIntervalSeconds: 0.05, maxStepEventsPerSecond: 1000 }, (e) => logs.push(...(session.handle(e).log ?? [])));
    const epochEnds = events.filter((e): e is Extract<EngineEvent, { type: 'epochEnd' }> => e.type === 'epochEnd');
    assert.deepStrictEqual(
      logs.filter((l) => l.startsWith('Epoch ')),
      epochEnds.map((e) => formatEpochLine(e)),
    );
    assert.strictEqual(session.state, 'idle');
    assert.strictEqual(session.series.epochs.length, 4, JSON.stringify({ ends: epochEnds.map((e) => e.epoch), series: session.series.epochs.map((e) => e.epoch), done: events.find((e) => e.type === 'done') }));
    assert.ok(session.series.epochs[3].loss < session.series.epochs[0].loss, 'the loss falls');
    assert.deepStrictEqual(session.gradients.map((g) => g.layer).sort(), ['h', 'out']);
    assert.ok(session.trends.get('h')!.length >= 1);

    const runs = listRuns(ws);
    assert.strictEqual(runs.length, 1);
    const r = runs[0];
    assert.strictEqual(r.modelFolder, 'blobs-mlp');
    assert.strictEqual(r.config.modelPath, file);
    assert.strictEqual(r.epochs.length, 4);
    assert.ok(isComplete(r));
    assert.ok(r.lastCheckpoint && r.bestCheckpoint);
    assert.deepStrictEqual(runsOfModel(runs, file, 'blobs-mlp'), runs);
    assert.deepStrictEqual(runsOfModel(runs, path.join(ws, 'other.nn.yaml'), 'other'), []);
    const done = events.find((e) => e.type === 'done') as Extract<EngineEvent, { type: 'done' }>;
    assert.strictEqual(r.best?.epoch, done.best?.epoch);
    assert.match(runDetail(r), /^epoch 4\/4 · loss \d\.\d{4} · val_loss \d\.\d{4} · val_accuracy \d\.\d{4} · best val_loss/);
    const data = readRunData(r);
    assert.strictEqual(data.steps.length, events.filter((e) => e.type === 'step').length);
    assert.deepStrictEqual(data.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
    // The past run's gradient-flow chart shows what the live one did.
    assert.deepStrictEqual(data.grads.map((g) => g.step), session.series.grads.map((g) => g.step));
    assert.ok(data.grads.length >= 2, `${data.grads.length} saved gradient records, ${session.series.grads.length} live, ${events.filter((e) => e.type === 'gradStats').length} gradStats events, ${events.filter((e) => e.type === 'step').length} step events`);
  });

  it('a stopped run resumes in its own folder; a torn metrics line is skipped', async () => {
    await run(file, MODEL, { workspace: ws, gradStatsIntervalSeconds: 0.05 }, (e, c) => {
      if (e.type === 'epochEnd' && e.epoch === 2) c.stop();
    });
    let [r] = listRuns(ws);
    assert.ok(!isComplete(r));
    fs.appendFileSync(path.join(r.dir, 'metrics.jsonl'), '{"epoch": 3, "lo');
    assert.strictEqual(listRuns(ws)[0].epochs.length, r.epochs.length);
    await run(file, MODEL, { workspace: ws, resume: r.lastCheckpoint, gradStatsIntervalSeconds: 0.05 });
    [r] = listRuns(ws);
    // Gradient records of the redone part are not kept twice: steps only rise, through epoch 4.
    const grads = parseJsonLines(fs.readFileSync(path.join(r.dir, 'grads.jsonl'), 'utf8')) as { epoch: number; step: number }[];
    assert.ok(grads.every((g, i) => i === 0 || g.step > grads[i - 1].step), grads.map((g) => `${g.epoch}:${g.step}`).join(' '));
    assert.ok(grads.length >= 1 && grads.every((g) => g.epoch >= 1 && g.epoch <= 4));
    assert.strictEqual(listRuns(ws).length, 1);
    assert.deepStrictEqual(r.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
    assert.strictEqual(bestEpoch(r.epochs, { name: 'loss', mode: 'min' })?.value, Math.min(...r.epochs.map((e) => e.loss)));
  });

  it('a NaN/Inf stop becomes an error warning on the layer, suggesting a tenth of the learning rate', async () => {
    const wild = MODEL.replace('lr: 0.02', 'lr: 1.0e+30').replace('{type: adam', '{type: sgd');
    const session = new TrainingSession('blobs-mlp', 1e30);
    const warnings = (await run(file, wild, { workspace: ws })).flatMap((e) => session.handle(e).warnings ?? []);
    const w = warnings.find((x) => x.code === 'nonfinite');
    assert.ok(w, `warnings: ${JSON.stringify(warnings)}`);
    assert.strictEqual(w.severity, 'error');
    assert.strictEqual(w.suggestLr, 1e29);
    assert.ok(w.anchor && 'layer' in w.anchor, JSON.stringify(w.anchor));
    assert.match(w.message, /NaN or infinite values appeared in/);
  });
});
