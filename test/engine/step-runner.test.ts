import * as assert from 'assert';
import { buildAccumulationGraphs } from '../../src/engine/accumulation-graphs';
import { makeBatch, planFeeds, identityOrder } from '../../src/engine/feeds';
import { initialState } from '../../src/engine/model-values';
import { initParams } from '../../src/compiler/init';
import { AccumulatingStepRunner, FusedStepRunner, type StepRunner } from '../../src/engine/step-runner';
import { createSession } from '../../src/engine/providers';
import { microBatches } from '../../src/engine/batch-plan';
import { maxAbsDiff, prepared, randomFloats } from './helpers';

const MODEL = `
name: acc
layers:
  - {id: x, type: Input, shape: [4]}
  - {id: h, type: Dense, units: 8, activation: tanh}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.05, clip_norm: 0.5, weight_decay: 0.01}
training: {batch_size: 16, seed: 3}
data: {source: blobs}
`;

const N = 16;
const data = {
  name: 'random',
  x: randomFloats(N * 4, 11),
  sampleShape: [4],
  y: Int32Array.from({ length: N }, (_, i) => i % 3),
  labelShape: [],
  numClasses: 3,
};

async function runners(): Promise<{ fused: StepRunner; acc: StepRunner; plan: ReturnType<typeof planFeeds> }> {
  const p = prepared(MODEL);
  const c = p.compiled;
  const params = initParams(c.params, 3);
  const state = initialState(c);
  const copy = (m: Map<string, Float32Array>) => new Map([...m].map(([k, v]) => [k, v.slice()]));
  const train = (await createSession(c.train, { provider: 'cpu', threads: 1 }, 'train')).session;
  const g = buildAccumulationGraphs(c);
  const grad = (await createSession(g.grad, { provider: 'cpu', threads: 1 }, 'grad')).session;
  const apply = (await createSession(g.apply, { provider: 'cpu', threads: 1 }, 'apply')).session;
  return {
    fused: new FusedStepRunner(c, train, copy(params), copy(state)),
    acc: new AccumulatingStepRunner(c, grad, g.gradIO, apply, g.applyIO, copy(params), copy(state)),
    plan: planFeeds(c.trainIO.features, c.trainIO.labels, data, () => undefined),
  };
}

describe('engine/step runners', () => {
  it('accumulating 4 micro-batches gives the update of the whole batch (adam, clipping, decay)', async () => {
    const { fused, acc, plan } = await runners();
    const order = identityOrder(N);
    for (let step = 1; step <= 3; step++) {
      const whole = await fused.step([makeBatch(plan, data, order, 0, N)], 0.05, step, [1n]);
      const parts = microBatches(0, N, 4).map(([a, b]) => makeBatch(plan, data, order, a, b));
      const split = await acc.step(parts, 0.05, step, [1n, 2n, 3n, 4n]);
      assert.ok(Math.abs(whole.lossSum - split.lossSum) < 1e-4, `loss ${whole.lossSum} vs ${split.lossSum}`);
      assert.strictEqual(whole.metricSums.accuracy, split.metricSums.accuracy);
      const a = whole.stats();
      const b = split.stats();
      assert.ok(Math.abs(a.globalGradNorm - b.globalGradNorm) < 1e-5 * Math.max(1, a.globalGradNorm));
    }
    const pa = fused.values().params;
    const pb = acc.values().params;
    for (const [name, v] of pa) assert.ok(maxAbsDiff(v, pb.get(name)!) < 1e-5, `${name} differs by ${maxAbsDiff(v, pb.get(name)!)}`);
    const sa = fused.values().state;
    for (const [name, v] of sa) assert.ok(maxAbsDiff(v, acc.values().state.get(name)!) < 1e-5, name);
  });

  it('one micro-batch through the split graphs matches the fused step exactly', async () => {
    const { fused, acc, plan } = await runners();
    const batch = makeBatch(plan, data, identityOrder(N), 0, N);
    await fused.step([batch], 0.05, 1, [5n]);
    await acc.step([batch], 0.05, 1, [5n]);
    for (const [name, v] of fused.values().params) assert.strictEqual(maxAbsDiff(v, acc.values().params.get(name)!), 0, name);
  });

  it('does not commit a step with non-finite numbers and names the layer', async () => {
    const { fused, plan } = await runners();
    const bad = { ...data, x: data.x.slice() };
    bad.x[5] = NaN;
    const before = fused.values().params.get('h.weight')!.slice();
    const r = await fused.step([makeBatch(plan, bad, identityOrder(N), 0, N)], 0.05, 1, [1n]);
    assert.ok(r.nonFinite, 'flagged');
    assert.strictEqual(r.nonFinite!.layer, 'x');
    assert.deepStrictEqual(fused.values().params.get('h.weight'), before);
  });
});
