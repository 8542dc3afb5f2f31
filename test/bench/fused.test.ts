import * as assert from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import { compileModel } from '../../src/compiler/compile';
import { buildFusedTrainModel } from '../../src/compiler/fused';
import { initParams } from '../../src/compiler/init';
import type { CompiledModel } from '../../src/compiler/types';
import { FusedLoopRunner, stackFeeds } from '../../src/bench/fused-runner';
import { ort } from '../../src/engine/ort';
import { createSession } from '../../src/engine/providers';
import { FusedStepRunner } from '../../src/engine/step-runner';
import type { FeedMap } from '../../src/engine/feeds';
import { maxAbsDiff, randomFloats } from '../engine/helpers';

// Convolution, pooling, BatchNorm (running statistics are carried too), dropout (per-step seeds)
// and Adam with clipping: every kind of carried value and per-step control goes through the Loop.
const MODEL = `
name: fused
layers:
  - {id: x, type: Input, shape: [1, 8, 8]}
  - {id: conv, type: Conv2D, filters: 4, kernel_size: 3, padding: same, activation: relu}
  - {id: bn, type: BatchNorm}
  - {type: MaxPool2D, pool_size: 2}
  - Flatten
  - {id: drop, type: Dropout, rate: 0.3}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.01, clip_norm: 1.0}
training: {batch_size: 6, seed: 2}
`;

const K = 4;
const N = 6;

function compiled(): CompiledModel {
  const r = analyzeModel(MODEL);
  assert.deepStrictEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileModel(r.summary!, r.model!);
}

function batches(c: CompiledModel): FeedMap[] {
  const f = c.trainIO.features[0];
  return Array.from({ length: K }, (_, k) => ({
    [f.name]: new ort.Tensor('float32', randomFloats(N * 64, 100 + k), [N, 1, 8, 8]),
    [c.trainIO.labels.name]: new ort.Tensor('int64', BigInt64Array.from({ length: N }, (_, i) => BigInt((i + k) % 3)), [N]),
  }));
}

const copy = (m: Map<string, Float32Array>) => new Map([...m].map(([k, v]) => [k, v.slice()]));

describe('bench/fused K-step Loop', () => {
  it('K fused steps give the weights, optimizer state and losses of K single steps', async () => {
    const c = compiled();
    const params = initParams(c.params, 7);
    const state = new Map(c.state.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.fill)]));
    const data = batches(c);
    const lrs = [0.01, 0.02, 0.005, 0.01];
    const seeds = [11n, 12n, 13n, 14n];

    const single = new FusedStepRunner(c, (await createSession(c.train, { provider: 'cpu', threads: 1 }, 'train')).session, copy(params), copy(state));
    const singleLosses: number[] = [];
    for (let k = 0; k < K; k++) {
      const r = await single.step([{ feeds: data[k], samples: N }], lrs[k], k + 1, [seeds[k]]);
      assert.strictEqual(r.nonFinite, undefined);
      singleLosses.push(r.lossSum / N);
    }

    const fused = buildFusedTrainModel(c);
    const session = (await createSession(fused.model, { provider: 'cpu', threads: 1 }, 'fused train')).session;
    const loop = new FusedLoopRunner(c, fused.io, session, copy(params), copy(state));
    const r = await loop.run(stackFeeds(data), lrs, [1, 2, 3, 4], seeds);
    assert.strictEqual(r.nonFinite, undefined);
    assert.strictEqual(r.losses.length, K);
    assert.strictEqual(r.metricSums.accuracy.length, K);
    for (let k = 0; k < K; k++) assert.ok(Math.abs(r.losses[k] - singleLosses[k]) <= 1e-6, `step ${k + 1}: loss ${r.losses[k]} vs ${singleLosses[k]}`);

    const { params: expected, state: expectedState } = single.values();
    let moved = 0;
    for (const [name, v] of expected) {
      assert.ok(maxAbsDiff(v, loop.params().get(name)!) <= 1e-6, `${name} differs by ${maxAbsDiff(v, loop.params().get(name)!)}`);
      moved = Math.max(moved, maxAbsDiff(v, params.get(name)!));
    }
    for (const [name, v] of expectedState) assert.ok(maxAbsDiff(v, loop.state().get(name)!) <= 1e-6, name);
    // The comparison means something only if training changed the weights.
    assert.ok(moved > 1e-4, `weights moved by only ${moved}`);
  });

  it('serves any K from one model and refuses mismatched control vectors', async () => {
    const c = compiled();
    const fused = buildFusedTrainModel(c);
    const session = (await createSession(fused.model, { provider: 'cpu', threads: 1 }, 'fused train')).session;
    const state = new Map(c.state.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.fill)]));
    const loop = new FusedLoopRunner(c, fused.io, session, initParams(c.params, 1), state);
    const two = await loop.run(stackFeeds(batches(c).slice(0, 2)), [0.01, 0.01], [1, 2], [1n, 2n]);
    assert.strictEqual(two.losses.length, 2);
    await assert.rejects(loop.run(stackFeeds(batches(c).slice(0, 2)), [0.01, 0.01], [1], [1n, 2n]), /2 learning rates but 1 step numbers/);
  });
});
