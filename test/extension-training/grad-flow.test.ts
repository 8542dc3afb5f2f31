// The gradient-flow chart's numbers: the train step's mean |gradient| per tensor (one ReduceL1
// each) against the gradients `layerwise grad` writes for the same batch, params and dropout
// seed, in all three step runners; the per-layer element-weighted mean the chart plots; and
// grads.jsonl, which keeps those statistics for past runs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { compileAccumulation } from '../../src/compiler/compile';
import { initParams } from '../../src/compiler/init';
import { readNpy } from '../../src/engine/data/npy';
import type { Batch } from '../../src/engine/feeds';
import { writeGradients } from '../../src/engine/grad';
import { initialState } from '../../src/engine/model-values';
import { prepareModel } from '../../src/engine/prepare';
import { createSession } from '../../src/engine/providers';
import { gradRecord, RunFolder } from '../../src/engine/run-dir';
import { stepSeed } from '../../src/engine/seeds';
import { AccumulatingStepRunner, buildLoopModel, FusedStepRunner, LoopStepRunner, stackBatch, type GradStatsSnapshot, type StepRunner } from '../../src/engine/step-runner';
import { gradPoint } from '../../src/extension/training/metricSeries';
import { readRun, readRunData, toGradPoint } from '../../src/extension/training/runIndex';
import { removeWorkspace, tempWorkspace, writeModel } from '../engine/helpers';

// A convolution (4-D weight), BatchNorm (a non-trainable running statistic among the params),
// dropout (the seed matters) and a layer with two tensors of very different sizes.
const MODEL = `
name: flow
layers:
  - {id: x, type: Input, shape: [2]}
  - {type: Reshape, shape: [1, 2]}
  - {id: conv, type: Conv1D, filters: 3, kernel_size: 3, padding: same, activation: tanh}
  - {id: bn, type: BatchNorm}
  - {type: Flatten}
  - {id: drop, type: Dropout, rate: 0.3}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: sgd, lr: 0.1, clip_norm: 0.001}
training: {batch_size: 12, seed: 5}
data: {source: blobs, samples: 60, classes: 3}
`;

function npy(dir: string, name: string) {
  const r = readNpy(path.join(dir, name));
  if (!r.ok) throw new Error(r.message);
  return r.array;
}

/** Mean of |v| in float64. */
function meanAbs(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += Math.abs(x);
  return s / v.length;
}

describe('extension-training: gradient flow (mean |gradient| per layer)', function () {
  this.timeout(60000);
  let ws: string;
  afterEach(() => ws && removeWorkspace(ws));

  it('matches the gradients `layerwise grad` writes, in the fused, Loop and accumulating runners', async () => {
    ws = tempWorkspace('lw-gradflow-');
    const text = MODEL;
    const file = writeModel(ws, 'flow', text);
    const gradSeed = 9;
    await writeGradients({ modelPath: file, text, batch: 12, seed: gradSeed, outDir: 'g', options: { workspace: ws, threads: 1 } });
    const dir = path.join(ws, 'g');

    const prepared = prepareModel(file, text);
    const c = prepared.compiled;
    const input = npy(dir, 'input.x.npy');
    const labels = npy(dir, 'labels.npy');
    assert.strictEqual(c.trainIO.labels.dtype, 'int64', 'class labels');
    const batch: Batch = {
      feeds: {
        x: new ort.Tensor('float32', input.data as Float32Array, input.shape),
        [c.trainIO.labels.name]: new ort.Tensor('int64', BigInt64Array.from(Array.from(labels.data as ArrayLike<number | bigint>, (v) => BigInt(v))), labels.shape),
      },
      samples: input.shape[0],
    };
    const params = initParams(c.params, prepared.run.seed);
    const copy = () => new Map([...params].map(([k, v]) => [k, v.slice()]));
    const seed = stepSeed(gradSeed, 0);

    const open = async (bytes: Uint8Array) => (await createSession(bytes, { provider: 'cpu', threads: 1 }, 'test')).session;
    const acc = compileAccumulation(c);
    const loopModel = buildLoopModel(c);
    const runners: [string, StepRunner, () => Promise<GradStatsSnapshot>][] = [];
    const fused = new FusedStepRunner(c, await open(c.train), copy(), initialState(c));
    runners.push(['fused', fused, async () => (await fused.step([batch], 0.1, 1, [seed])).stats()]);
    const split = new AccumulatingStepRunner(c, await open(acc.grad), acc.gradIO, await open(acc.apply), acc.applyIO, copy(), initialState(c));
    runners.push(['accumulating', split, async () => (await split.step([batch], 0.1, 1, [seed])).stats()]);
    const loop = new LoopStepRunner(c, loopModel, await open(loopModel.model), copy(), initialState(c));
    runners.push(['loop', loop, async () => (await loop.steps(stackBatch(batch, 1), [0.1], [1], [seed])).steps[0].stats()]);

    const trainable = c.params.filter((p) => p.trainable);
    const expected = new Map(trainable.map((p) => [p.name, meanAbs(npy(dir, `${p.name}.grad.npy`).data as Float32Array)]));
    // The chart's per-layer value: the mean over every gradient element of the layer.
    const layerSums = new Map<string, { abs: number; n: number }>();
    for (const p of trainable) {
      const g = npy(dir, `${p.name}.grad.npy`).data as Float32Array;
      const a = layerSums.get(p.layer) ?? { abs: 0, n: 0 };
      a.abs += meanAbs(g) * g.length;
      a.n += g.length;
      layerSums.set(p.layer, a);
    }
    assert.deepStrictEqual([...layerSums.keys()].sort(), ['bn', 'conv', 'out']);

    for (const [label, , stats] of runners) {
      const s = await stats();
      assert.strictEqual(s.params.length, trainable.length, label);
      for (const p of s.params) {
        const want = expected.get(p.name)!;
        assert.ok(want > 0, `${p.name}: a real gradient`);
        assert.strictEqual(p.elements, c.params.find((q) => q.name === p.name)!.shape.reduce((a, b) => a * b, 1), `${label} ${p.name} elements`);
        // Before clipping: clip_norm 0.001 would scale the used gradient far below these.
        assert.ok(Math.abs(p.gradMeanAbs! - want) <= 1e-6 + 1e-4 * want, `${label} ${p.name}: mean |g| ${p.gradMeanAbs} vs ${want} from layerwise grad`);
      }
      const point = gradPoint(1, s.params);
      for (const [layer, a] of layerSums) {
        const want = a.abs / a.n;
        assert.ok(Math.abs(point.layers[layer] - want) <= 1e-6 + 1e-4 * want, `${label} layer ${layer}: ${point.layers[layer]} vs ${want}`);
      }
    }
  });
});

describe('extension-training: grads.jsonl', () => {
  let ws: string;
  afterEach(() => ws && removeWorkspace(ws));

  it('round-trips compact records to chart points, tolerating a torn last line', () => {
    ws = tempWorkspace('lw-gradsjsonl-');
    const dir = path.join(ws, '.layerwise', 'runs', 'm', '2026-01-01T00-00-00');
    fs.mkdirSync(dir, { recursive: true });
    const stats = (k: number) => [
      { name: 'a.weight', layer: 'a', param: 'weight', gradNorm: 3 * k, weightNorm: 1, updateRatio: 0.01, gradMeanAbs: 0.123456789 * k, elements: 30 },
      { name: 'a.bias', layer: 'a', param: 'bias', gradNorm: k, weightNorm: 1, updateRatio: 0.01, gradMeanAbs: 0.5 * k, elements: 10 },
      { name: 'b.weight', layer: 'b', param: 'weight', gradNorm: NaN, weightNorm: 1, updateRatio: 0.01, gradMeanAbs: NaN, elements: 4 },
    ];
    const lines = [1, 2, 3].map((k) => JSON.stringify(gradRecord(1, 10 * k, 2 * k, stats(k))));
    // Compact: no repeated names or ratios, 4 significant digits.
    assert.ok(!lines[0].includes('weightNorm') && lines[0].includes('0.1235'), lines[0]);
    fs.writeFileSync(path.join(dir, 'grads.jsonl'), lines.join('\n') + '\n' + lines[2].slice(0, 25));
    const data = readRunData(readRun(dir, 'm', '2026-01-01T00-00-00'));
    assert.deepStrictEqual(
      data.grads.map((g) => g.step),
      [10, 20, 30],
    );
    for (const [i, g] of data.grads.entries()) {
      const k = i + 1;
      const live = gradPoint(10 * k, stats(k)).layers;
      assert.deepStrictEqual(Object.keys(g.layers), ['a'], 'a non-finite layer is a gap');
      assert.ok(Math.abs(g.layers.a - live.a) < 1e-3 * live.a, `${g.layers.a} vs ${live.a}`);
    }
    // A run resumed from an earlier checkpoint drops the records of the epochs it redoes.
    const folder = new RunFolder(dir);
    folder.appendGrads(gradRecord(2, 40, 1, stats(1)));
    folder.keepMetricsUpTo(1);
    assert.deepStrictEqual(readRunData(readRun(dir, 'm', '2026-01-01T00-00-00')).grads.map((g) => g.step), [10, 20, 30]);
    assert.strictEqual(toGradPoint({ step: 1 }), undefined);
    assert.deepStrictEqual(toGradPoint({ step: 1, tensors: [['a', 'w'], 'junk', ['a', 'w', 2, 1, 3]] }), { step: 1, layers: { a: 3 } });
  });
});
