// Several updates per run through the fused Loop model (LoopStepRunner): the same numbers as
// single train steps, bit for bit, and a NaN guard that commits exactly the updates before the
// bad one; and how many updates a run may stack.
import * as assert from 'assert';
import { initParams } from '../../src/compiler/init';
import { identityOrder, makeBatch, planFeeds, sampleTensors } from '../../src/engine/feeds';
import { initialState } from '../../src/engine/model-values';
import { createSession } from '../../src/engine/providers';
import { loopStepLimit, MAX_STEPS_PER_RUN } from '../../src/engine/run-setup';
import { batchAt, batchesByRow, buildLoopModel, FusedStepRunner, LoopStepRunner, stackBatch, stackedRange, type StepResult } from '../../src/engine/step-runner';
import { prepared, randomFloats } from './helpers';

// BatchNorm (carried running statistics), dropout (per-update seeds), Adam with clipping and
// decay: every kind of carried value and per-update control.
const MODEL = `
name: loop
layers:
  - {id: x, type: Input, shape: [5]}
  - {id: h, type: Dense, units: 12}
  - {id: bn, type: BatchNorm}
  - {type: ReLU}
  - {id: drop, type: Dropout, rate: 0.25}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.05, clip_norm: 0.5, weight_decay: 0.01}
training: {batch_size: 8, seed: 3}
data: {source: blobs}
`;

const N = 8;
const K = 5;
const data = {
  name: 'random',
  x: randomFloats(K * N * 5, 21),
  sampleShape: [5],
  y: Int32Array.from({ length: K * N }, (_, i) => (i * 7) % 3),
  labelShape: [],
  numClasses: 3,
  count: K * N,
};
const lrs = [0.05, 0.04, 0.06, 0.05, 0.03];
const numbers = [1, 2, 3, 4, 5];
const seeds = [11n, 12n, 13n, 14n, 15n];

function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function setup(x = data.x) {
  const c = prepared(MODEL).compiled;
  const params = initParams(c.params, 3);
  const copy = (m: Map<string, Float32Array>) => new Map([...m].map(([k, v]) => [k, v.slice()]));
  const loopModel = buildLoopModel(c);
  const loop = new LoopStepRunner(c, loopModel, (await createSession(loopModel.model, { provider: 'cpu', threads: 2 }, 'loop')).session, copy(params), initialState(c));
  const single = new FusedStepRunner(c, (await createSession(c.train, { provider: 'cpu', threads: 2 }, 'train')).session, copy(params), initialState(c));
  const samples = { ...data, x };
  const plan = planFeeds(c.trainIO.features, c.trainIO.labels, samples, () => undefined);
  const order = identityOrder(K * N);
  return { c, loop, single, samples, plan, batch: (k: number) => makeBatch(plan, samples, order, k * N, (k + 1) * N), stacked: () => stackBatch(makeBatch(plan, samples, order, 0, K * N), K) };
}

/**
 * `a` (from the Loop) is `b` (a single step) bit for bit; the Loop computes gradient statistics
 * for the last committed update of a run only (`withStats`), and gives none for the others.
 */
function assertSameStep(a: StepResult, b: StepResult, what: string, withStats: boolean): void {
  assert.strictEqual(a.lossSum, b.lossSum, `${what}: loss`);
  assert.deepStrictEqual(a.metricSums, b.metricSums, `${what}: metrics`);
  assert.strictEqual(a.samples, b.samples);
  if (withStats) {
    assert.ok(b.stats().params.length > 0);
    assert.deepStrictEqual(a.stats(), b.stats(), `${what}: gradient statistics`);
  } else {
    assert.deepStrictEqual(a.stats().params, [], `${what}: no statistics before the run's last update`);
  }
}

describe('engine/Loop step runner', function () {
  this.timeout(60000);

  it('K updates in one run equal K single train steps bit for bit: values, losses, metrics, statistics', async () => {
    const { loop, single, batch, stacked } = await setup();
    const expected: StepResult[] = [];
    for (let k = 0; k < K; k++) expected.push(await single.step([batch(k)], lrs[k], numbers[k], [seeds[k]]));
    const run = await loop.steps(stacked(), lrs, numbers, seeds);
    assert.strictEqual(run.nonFinite, undefined);
    assert.strictEqual(run.steps.length, K);
    run.steps.forEach((r, k) => assertSameStep(r, expected[k], `update ${k + 1}`, k === K - 1));
    for (const kind of ['params', 'state'] as const) {
      for (const [name, v] of single.values()[kind]) assert.ok(same(v, loop.values()[kind].get(name)!), `${kind} ${name}`);
    }
  });

  it('one update through the Loop (K = 1) is the single train step', async () => {
    const { loop, single, batch } = await setup();
    assertSameStep(await loop.step([batch(0)], lrs[0], 1, [seeds[0]]), await single.step([batch(0)], lrs[0], 1, [seeds[0]]), 'update 1', true);
    for (const [name, v] of single.values().params) assert.ok(same(v, loop.values().params.get(name)!), name);
  });

  for (const bad of [0, 3]) {
    it(`commits exactly the ${bad} updates before a non-finite one and names its layer`, async () => {
      const x = data.x.slice();
      x[bad * N * 5 + 2] = NaN;
      const { loop, single, batch, stacked } = await setup(x);
      const run = await loop.steps(stacked(), lrs, numbers, seeds);
      assert.strictEqual(run.steps.length, bad);
      assert.deepStrictEqual(run.nonFinite, { layer: 'x', where: "the output of layer 'x'" });
      for (let k = 0; k < bad; k++) assertSameStep(run.steps[k], await single.step([batch(k)], lrs[k], numbers[k], [seeds[k]]), `update ${k + 1}`, k === bad - 1);
      for (const [name, v] of single.values().params) assert.ok(same(v, loop.values().params.get(name)!), `${name} holds the values after ${bad} updates`);
      assert.ok([...loop.values().params.values()].every((v) => v.every(Number.isFinite)));
    });
  }

  it('writes every run into two sets of arrays it keeps, the given ones and one spare, and no result holds the binding\'s copies', async () => {
    const c = prepared(MODEL).compiled;
    const params = initParams(c.params, 3);
    const given = [...params.values()];
    const loopModel = buildLoopModel(c);
    const loop = new LoopStepRunner(c, loopModel, (await createSession(loopModel.model, { provider: 'cpu', threads: 2 }, 'loop')).session, params, initialState(c));
    const plan = planFeeds(c.trainIO.features, c.trainIO.labels, data, () => undefined);
    const stacked = stackBatch(makeBatch(plan, data, identityOrder(K * N), 0, K * N), K);
    const sets: Float32Array[][] = [];
    const kept: StepResult[] = [];
    for (let run = 0; run < 3; run++) {
      const r = await loop.steps(stacked, lrs, numbers.map((n) => n + run * K), seeds);
      assert.ok(!r.nonFinite);
      kept.push(...r.steps);
      sets.push([...loop.values().params.values()]);
    }
    assert.ok(sets[0].every((a, i) => a !== given[i]), 'run 1 wrote into the spare arrays');
    assert.ok(sets[1].every((a, i) => a === given[i]), 'run 2 wrote into the given arrays');
    assert.ok(sets[2].every((a, i) => a === sets[0][i]), 'run 3 into the spare ones again');
    // The statistics of each run's last update are still readable, from the results alone.
    assert.ok(kept[K - 1].stats().params.length > 0);
  });

  it('draws the batches of a run by row from the sample tensors, in a shuffled order too, bit for bit as single steps on copied batches', async () => {
    const { c, loop, single, samples, plan } = await setup();
    // The trainer's path: the whole split as sample tensors (features not copied), the epoch order's rows.
    const order = Int32Array.from({ length: K * N }, (_, i) => (i * 13 + 5) % (K * N));
    const all = sampleTensors(plan, samples);
    const features = all[c.trainIO.features[0].name].data as Float32Array;
    assert.ok(features.buffer === samples.x.buffer && features.byteOffset === samples.x.byteOffset, 'the features are a view of the data set\'s own array');
    const expected: StepResult[] = [];
    for (let k = 0; k < K; k++) expected.push(await single.step([makeBatch(plan, samples, order, k * N, (k + 1) * N)], lrs[k], numbers[k], [seeds[k]]));
    const run = await loop.steps(batchesByRow(all, order, 0, K, N), lrs, numbers, seeds);
    run.steps.forEach((r, k) => assertSameStep(r, expected[k], `update ${k + 1}`, k === K - 1));
    for (const [name, v] of single.values().params) assert.ok(same(v, loop.values().params.get(name)!), name);
  });

  it('views stacked batches: ranges share the sample tensors, a batch copied out holds its rows\' samples', async () => {
    const { samples, plan } = await setup();
    const order = Int32Array.from({ length: K * N }, (_, i) => K * N - 1 - i);
    const s = batchesByRow(sampleTensors(plan, samples), order, 0, K, N);
    const one = batchAt(s, 3);
    const direct = makeBatch(plan, samples, order, 3 * N, 4 * N);
    for (const name of Object.keys(direct.feeds)) {
      assert.deepStrictEqual(one.feeds[name].dims, direct.feeds[name].dims);
      assert.deepStrictEqual(Array.from(one.feeds[name].data as ArrayLike<number | bigint>), Array.from(direct.feeds[name].data as ArrayLike<number | bigint>));
    }
    const range = stackedRange(s, 1, 3);
    assert.strictEqual(range.count, 2);
    assert.strictEqual(range.feeds, s.feeds);
    assert.deepStrictEqual(Array.from(range.rows), Array.from(order.subarray(N, 3 * N), (r) => BigInt(r)));
    assert.throws(() => stackBatch(makeBatch(plan, samples, order, 0, N), 3), /do not split into 3 equal batches/);
  });
});

describe('engine/Loop step limit', () => {
  const MIB = 2 ** 20;
  it('fits the Loop’s copies and stacked batches in the budget, stacks no more than a step’s estimate', () => {
    assert.strictEqual(loopStepLimit(10 * MIB, 1 * MIB, 0.5 * MIB, 2048 * MIB), MAX_STEPS_PER_RUN);
    assert.strictEqual(loopStepLimit(2 * MIB, 1 * MIB, 0.5 * MIB, 2048 * MIB), 4, 'stacked batches no larger than the step estimate');
    assert.strictEqual(loopStepLimit(10 * MIB, 1 * MIB, 1 * MIB, 15 * MIB), 3, 'budget minus the step and two copies of the values');
    assert.strictEqual(loopStepLimit(10 * MIB, 1 * MIB, 1 * MIB, 12.5 * MIB), 0, 'not even one batch fits: single steps');
    assert.strictEqual(loopStepLimit(10 * MIB, 1 * MIB, 4 * MIB, 2048 * MIB), 2);
  });
});
