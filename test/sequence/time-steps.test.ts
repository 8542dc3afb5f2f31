// The train step's per-time-step gradient norms of recurrent layers (TrainStepIO.timeGradNorms):
// checked against an independent number, the gradient of a learned position table (whose row t
// is d loss / d input at step t summed over the batch: with one sample, its norm is exactly the
// step's norm), and between the fused runner and gradient accumulation, which combines
// micro-batches as sqrt(sum of (weight * norm)^2).
import * as assert from 'assert';
import { compileAccumulation } from '../../src/compiler/compile';
import { initParams } from '../../src/compiler/init';
import { microBatches } from '../../src/engine/batch-plan';
import { identityOrder, makeBatch, planFeeds } from '../../src/engine/feeds';
import { initialState } from '../../src/engine/model-values';
import { createSession } from '../../src/engine/providers';
import { AccumulatingStepRunner, FusedStepRunner } from '../../src/engine/step-runner';
import { ort } from '../../src/engine/ort';
import { prepared } from '../engine/helpers';

const T = 6;
const D = 4;
const model = (cell: string, extra = '') => `
name: steps
layers:
  - {id: tokens, type: Input, shape: [${T}], dtype: int64}
  - {id: embed, type: Embedding, vocab_size: 4, dim: ${D}}
  - {id: positions, type: PositionalEmbedding, max_length: ${T}, mode: learned}
  - {id: rec, type: ${cell}, units: 3${extra}}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
optimizer: {type: sgd, lr: 0.1}
training: {batch_size: 8, seed: 2}
data: {source: parity, length: ${T}}
`;

const N = 8;
const samples = {
  name: 'tokens',
  x: BigInt64Array.from({ length: N * T }, (_, i) => BigInt((i * 7 + 3) % 4)),
  sampleShape: [T],
  y: Int32Array.from({ length: N }, (_, i) => i % 2),
  labelShape: [],
  numClasses: 2,
  vocabSize: 4,
};

function rowNorms(table: Float32Array, rows: number, cols: number): number[] {
  return Array.from({ length: rows }, (_, t) => Math.hypot(...table.subarray(t * cols, (t + 1) * cols)));
}

describe('sequence: gradient norms per time step', () => {
  for (const cell of ['SimpleRNN', 'LSTM', 'GRU']) {
    it(`${cell}: the grad step's norm at step t equals the position-table gradient row t (one sample)`, async () => {
      const c = prepared(model(cell)).compiled;
      const g = compileAccumulation(c);
      assert.deepStrictEqual(
        g.gradIO.timeGradNorms?.map((t) => t.layer),
        ['rec'],
      );
      const session = (await createSession(g.grad, { provider: 'cpu', threads: 1 }, 'grad')).session;
      const plan = planFeeds(c.trainIO.features, c.trainIO.labels, samples, () => undefined);
      const params = initParams(c.params, 4);
      const feeds = { ...makeBatch(plan, samples, identityOrder(N), 2, 3).feeds, [g.gradIO.seed]: new ort.Tensor('int64', BigInt64Array.of(1n), []) };
      for (const p of c.params) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape);
      const out = await session.run(feeds);
      const norms = Array.from(out[g.gradIO.timeGradNorms![0].output].data as Float32Array);
      const table = out[g.gradIO.grads.find((x) => x.param === 'positions.position_table')!.output].data as Float32Array;
      const expected = rowNorms(table, T, D);
      assert.strictEqual(norms.length, T);
      for (let t = 0; t < T; t++) assert.ok(Math.abs(norms[t] - expected[t]) <= 1e-6 + 1e-4 * expected[t], `step ${t}: ${norms[t]} vs ${expected[t]}`);
      assert.ok(norms.every((v) => v > 0), `every step gets a gradient: ${norms}`);
    });
  }

  it('accumulated micro-batches report the norms of the whole batch, as the fused step does', async () => {
    const c = prepared(model('LSTM', ', return_sequences: false')).compiled;
    const g = compileAccumulation(c);
    const open = async (bytes: Uint8Array) => (await createSession(bytes, { provider: 'cpu', threads: 1 }, 'test')).session;
    const params = initParams(c.params, 5);
    const copy = (m: Map<string, Float32Array>) => new Map([...m].map(([k, v]) => [k, v.slice()]));
    const fused = new FusedStepRunner(c, await open(c.train), copy(params), initialState(c));
    const acc = new AccumulatingStepRunner(c, await open(g.grad), g.gradIO, await open(g.apply), g.applyIO, copy(params), initialState(c));
    const plan = planFeeds(c.trainIO.features, c.trainIO.labels, samples, () => undefined);
    const order = identityOrder(N);
    const whole = (await fused.step([makeBatch(plan, samples, order, 0, N)], 0.1, 1, [1n])).stats().timeSteps;
    const parts = microBatches(0, N, 3).map(([a, b]) => makeBatch(plan, samples, order, a, b));
    const split = (await acc.step(parts, 0.1, 1, [1n, 2n, 3n])).stats().timeSteps;
    assert.strictEqual(whole?.length, 1);
    assert.strictEqual(split?.length, 1);
    assert.strictEqual(whole[0].layer, 'rec');
    for (let t = 0; t < T; t++) {
      const a = whole[0].norms[t];
      const b = split[0].norms[t];
      assert.ok(Math.abs(a - b) <= 1e-6 + 1e-4 * a, `step ${t}: fused ${a} vs accumulated ${b}`);
    }
  });

  it('models without recurrent layers report no time steps', () => {
    const c = prepared(`
name: mlp
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
data: {source: blobs, classes: 2}
`).compiled;
    assert.deepStrictEqual(c.trainIO.timeGradNorms, []);
  });
});
