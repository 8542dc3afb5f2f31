import * as assert from 'assert';
import { compileAccumulation } from '../../src/compiler/compile';
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
  const g = compileAccumulation(c);
  const grad = (await createSession(g.grad, { provider: 'cpu', threads: 1 }, 'grad')).session;
  const apply = (await createSession(g.apply, { provider: 'cpu', threads: 1 }, 'apply')).session;
  return {
    fused: new FusedStepRunner(c, train, copy(params), copy(state)),
    acc: new AccumulatingStepRunner(c, grad, g.gradIO, apply, g.applyIO, copy(params), copy(state)),
    plan: planFeeds(c.trainIO.features, c.trainIO.labels, data, () => undefined),
  };
}

// Finite forward pass, overflowing gradient in `h`: x = 1e4 through a tiny h weight keeps every
// output small, but dL/dh.weight = x * (p - y) . out.weight = 1e4 * 2e35 is past float32.
const OVERFLOW = `
name: overflow
layers:
  - {id: x, type: Input, shape: [1]}
  - {id: h, type: Dense, units: 1}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
optimizer: {type: sgd, lr: 0.1}
training: {batch_size: 4, seed: 1}
data: {source: blobs, classes: 2}
`;

async function overflowRunners(): Promise<{ fused: StepRunner; acc: StepRunner; batch: ReturnType<typeof makeBatch> }> {
  const c = prepared(OVERFLOW).compiled;
  const values = (): Map<string, Float32Array> =>
    new Map([
      ['h.weight', Float32Array.of(1e-10)],
      ['h.bias', Float32Array.of(0)],
      ['out.weight', Float32Array.of(1e35, -1e35)],
      ['out.bias', Float32Array.of(0, 0)],
    ]);
  const g = compileAccumulation(c);
  const open = async (bytes: Uint8Array) => (await createSession(bytes, { provider: 'cpu', threads: 1 }, 'test')).session;
  const samples = { name: 'overflow', x: Float32Array.of(1e4, 1e4, 1e4, 1e4), sampleShape: [1], y: Int32Array.of(1, 1, 1, 1), labelShape: [], numClasses: 2 };
  const plan = planFeeds(c.trainIO.features, c.trainIO.labels, samples, () => undefined);
  return {
    fused: new FusedStepRunner(c, await open(c.train), values(), initialState(c)),
    acc: new AccumulatingStepRunner(c, await open(g.grad), g.gradIO, await open(g.apply), g.applyIO, values(), initialState(c)),
    batch: makeBatch(plan, samples, identityOrder(4), 0, 4),
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

  it('names the layer whose gradients alone went non-finite, in both runners, and commits nothing', async () => {
    const { fused, acc, batch } = await overflowRunners();
    for (const [what, runner] of [['fused', fused], ['accumulating', acc]] as const) {
      const r = await runner.step([batch], 0.1, 1, [1n]);
      assert.ok(Number.isFinite(r.lossSum), `${what}: the loss stays finite (${r.lossSum})`);
      assert.deepStrictEqual(r.nonFinite, { layer: 'h', where: "the gradients of layer 'h'" }, what);
      assert.deepStrictEqual(runner.values().params.get('h.weight'), Float32Array.of(1e-10), `${what}: not committed`);
    }
  });

  it('names the layer whose update went non-finite after accumulation', async () => {
    const { acc, plan } = await runners();
    const order = identityOrder(N);
    const before = acc.values().params.get('out.weight')!.slice();
    const parts = microBatches(0, N, N / 2).map(([a, b]) => makeBatch(plan, data, order, a, b));
    const r = await acc.step(parts, Infinity, 1, [1n, 2n]);
    assert.deepStrictEqual(r.nonFinite, { layer: 'out', where: "the update of layer 'out'" }, 'every layer goes bad; the culprit is the last');
    assert.deepStrictEqual(acc.values().params.get('out.weight'), before, 'not committed');
  });
});
