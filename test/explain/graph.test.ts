// The input-gradient graphs against central finite differences of their own forward graphs, in
// float64 where onnxruntime's CPU kernels allow (its Conv and Erf are float32-only, so the CNN
// runs in float32 with a larger step and tolerance): a small CNN (BatchNorm with running
// statistics, max pooling, softmax head; logit and probability), a token model attributed
// through its embedding (learned positions, causal attention, LSTM), and a regression MLP. Also: a batch gives each row its own gradient, and explanations
// of tabular and token inputs through ExplainSession (Integrated Gradients' completeness).
import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import { initParams } from '../../src/compiler/init';
import { prepareModel } from '../../src/engine/prepare';
import { buildAttributionModels } from '../../src/explain/graph';
import { AttributionRunner, embedTokens } from '../../src/explain/runner';
import { ExplainSession } from '../../src/explain/explain';
import type { AttributedOutput } from '../../src/explain/types';
import { randomFloats, removeWorkspace, tempWorkspace, writeModel } from '../engine/helpers';

const CNN = `
name: fd-cnn
layers:
  - {id: image, type: Input, shape: [2, 6, 6]}
  - {id: conv, type: Conv2D, filters: 3, kernel_size: 3, padding: same, activation: tanh}
  - {id: bn, type: BatchNorm}
  - {id: pool, type: MaxPool2D, pool_size: 2}
  - {type: Flatten}
  - {type: Dropout, rate: 0.5}
  - {id: head, type: Dense, units: 4, activation: softmax}
loss: cross_entropy
`;

const TOKENS = `
name: fd-tokens
layers:
  - {id: tokens, type: Input, shape: [5], dtype: int64}
  - {id: emb, type: Embedding, vocab_size: 7, dim: 4}
  - {id: pos, type: PositionalEmbedding, max_length: 5}
  - {id: attn, type: MultiHeadAttention, heads: 2, key_dim: 3, causal: true}
  - {id: rnn, type: LSTM, units: 3}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
training: {seed: 3, validation_split: 0.25}
data: {source: sorted, samples: 40, length: 5, vocab: 7}
`;

const REGRESSION = `
name: fd-regression
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: h, type: Dense, units: 5, activation: tanh}
  - {id: y, type: Dense, units: 2}
loss: mse
`;

const TABULAR = `
name: tabular
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 8, activation: tanh}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
training: {seed: 2, validation_split: 0.2}
data: {source: moons, samples: 100}
`;

async function runnerFor(text: string, attributed: AttributedOutput, precision: 'float32' | 'float64', maxBatch = 16) {
  const prepared = prepareModel('fd.nn.yaml', text, { precision });
  const models = buildAttributionModels(prepared.compiled, attributed);
  const runner = new AttributionRunner(models.io, await ort.InferenceSession.create(models.forward), await ort.InferenceSession.create(models.gradient), maxBatch);
  const params = initParams(prepared.compiled.params, 5);
  // Running statistics away from their 0/1 start, so eval-mode BatchNorm is exercised.
  for (const [name, v] of params) {
    if (name.endsWith('running_mean')) v.set(randomFloats(v.length, 11).map((x) => 0.3 * x));
    if (name.endsWith('running_var')) v.set(randomFloats(v.length, 12).map((x) => 1 + 0.5 * x));
  }
  return { prepared, runner, params };
}

const FLOAT64 = { h: 1e-6, atol: 1e-8, rtol: 1e-5 };
const FLOAT32 = { h: 1e-2, atol: 2e-3, rtol: 3e-2 };

/**
 * Largest violation ratio |analytic − central difference| / (atol + rtol |difference|) over every
 * input element: below 1 means every element is within tolerance.
 */
async function gradientCheck(runner: AttributionRunner, params: Map<string, Float32Array>, target: number, x: Float64Array, tol = FLOAT64): Promise<number> {
  const fn = runner.bind(params, target);
  const { gradients } = await fn.gradients(x, 1);
  const eps = tol.h;
  const n = x.length;
  const points = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    points.set(x, 2 * i * n);
    points.set(x, (2 * i + 1) * n);
    points[2 * i * n + i] += eps;
    points[(2 * i + 1) * n + i] -= eps;
  }
  const values = await fn.values(points, 2 * n);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const fd = (values[2 * i] - values[2 * i + 1]) / (2 * eps);
    worst = Math.max(worst, Math.abs(gradients[i] - fd) / (tol.atol + tol.rtol * Math.abs(fd)));
  }
  return worst;
}

describe('explain/graph: input gradients', function () {
  this.timeout(60000);

  for (const attributed of ['logit', 'probability'] as const) {
    it(`CNN, ${attributed}: the input gradient matches finite differences`, async () => {
      const { runner, params } = await runnerFor(CNN, attributed, 'float32');
      assert.deepStrictEqual([runner.io.inputShape, runner.io.outputShape, runner.io.attributed, runner.io.dtype], [[2, 6, 6], [4], attributed, 'float32']);
      const x = Float64Array.from(randomFloats(72, 3));
      for (const target of [0, 3]) {
        const worst = await gradientCheck(runner, params, target, x, FLOAT32);
    assert.ok(worst < 1, `target ${target}: worst error ${worst} of the tolerance`);
      }
    });
  }

  it('the probability output is the softmax of the logits, and each batch row gets its own gradient', async () => {
    const { runner, params } = await runnerFor(CNN, 'probability', 'float32', 2);
    const xs = Float64Array.from(randomFloats(3 * 72, 9));
    const out = await runner.forward(params, 1, xs, 3);
    for (let k = 0; k < 3; k++) {
      const z = out.scores.subarray(4 * k, 4 * k + 4);
      const e = Array.from(z, (v) => Math.exp(v));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => assert.ok(Math.abs(v / sum - out.probabilities![4 * k + c]) < 1e-6));
      assert.ok(Math.abs(out.selected[k] - out.probabilities![4 * k + 1]) < 1e-7, 'selected is the target probability');
    }
    const fn = runner.bind(params, 1);
    const batch = await fn.gradients(xs, 3);
    for (let k = 0; k < 3; k++) {
      const single = await fn.gradients(xs.slice(72 * k, 72 * (k + 1)), 1);
      for (let i = 0; i < 72; i++) assert.ok(Math.abs(single.gradients[i] - batch.gradients[72 * k + i]) < 1e-6, `row ${k} element ${i}`);
    }
  });

  it('token ids: the graph takes the embedded sequence, and its gradient matches finite differences', async () => {
    const { runner, params } = await runnerFor(TOKENS, 'logit', 'float64');
    const tokens = runner.io.tokens!;
    assert.deepStrictEqual(tokens, { inputLayer: 'tokens', embedding: 'emb', weight: 'emb.weight', vocab: 7, dim: 4, length: 5 });
    assert.deepStrictEqual(runner.io.inputShape, [5, 4]);
    assert.ok(!runner.io.params.some((p) => p.name === 'emb.weight'), 'the embedding table is not a graph input');
    const x = embedTokens(params.get('emb.weight')!, 4, 7, [3, 0, 6, 2, 2]);
    assert.deepStrictEqual(Array.from(x.subarray(4, 8)), Array.from(params.get('emb.weight')!.subarray(0, 4)));
    const worst = await gradientCheck(runner, params, 1, x);
    assert.ok(worst < 1, `worst error ${worst} of the tolerance`);
    assert.throws(() => embedTokens(params.get('emb.weight')!, 4, 7, [7]), /outside the embedding's vocabulary/);
  });

  it('regression: the attributed output is the value itself; probabilities are refused with a reason', async () => {
    const { runner, params } = await runnerFor(REGRESSION, 'logit', 'float64');
    assert.strictEqual(runner.io.probabilities, undefined);
    const worst = await gradientCheck(runner, params, 1, Float64Array.of(0.4, -1.3, 0.8));
    assert.ok(worst < 1, `worst error ${worst} of the tolerance`);
    const prepared = prepareModel('r.nn.yaml', REGRESSION);
    assert.throws(() => buildAttributionModels(prepared.compiled, 'probability'), /regression loss.*attribute the logit/);
  });
});

describe('explain/session: tabular and token inputs', function () {
  this.timeout(60000);
  let ws: string;
  before(() => (ws = tempWorkspace('lw-explain-')));
  after(() => removeWorkspace(ws));

  it('tabular: a bar per feature; IG is complete; occlusion of one feature is its drop', async () => {
    const file = writeModel(ws, 'tabular', TABULAR);
    const session = await ExplainSession.open({ modelPath: file, text: TABULAR, options: { workspace: ws, threads: 1 } });
    const ig = await session.explain('validation', 3, { method: 'integrated_gradients', steps: 128, baseline: 'mean' });
    assert.deepStrictEqual([ig.input.kind, ig.input.shape, ig.mapShape, ig.attributions.length, ig.display], ['tabular', [2], [2], 2, 'signed']);
    assert.ok(ig.completeness && ig.completeness.relativeGap < 1e-3, `gap ${ig.completeness?.relativeGap}`);
    assert.ok(ig.randomization && ig.randomization.map.length === 2);
    assert.strictEqual(ig.predictions.length, 2);
    assert.ok(Math.abs(ig.predictions[0].probability! + ig.predictions[1].probability! - 1) < 1e-5);
    assert.strictEqual(ig.target.predicted, true);

    const occ = await session.explain('validation', 3, { method: 'occlusion', target: 1, randomizationCheck: false });
    assert.deepStrictEqual([occ.options.window, occ.options.stride, occ.target.index, occ.randomization], [[1], [1], 1, undefined]);
    const runner = await session.runner('logit');
    const x = Float64Array.from(occ.input.values);
    const fn = runner.bind(session.params, 1);
    for (let i = 0; i < 2; i++) {
      const hidden = Float64Array.from(x);
      hidden[i] = 0;
      const drop = (await fn.values(x, 1))[0] - (await fn.values(hidden, 1))[0];
      assert.ok(Math.abs(occ.attributions[i] - drop) < 1e-5, `feature ${i}: ${occ.attributions[i]} vs ${drop}`);
    }
    await assert.rejects(session.explain('validation', 20, { method: 'gradient' }), /sample 20 is not in the validation split, which has 20 samples/);
    await assert.rejects(session.explain('test', 0, { method: 'gradient' }), /no test data is held out/);
  });

  it('tokens: one attribution per token; IG through the embedding is complete; a blurred baseline is refused', async () => {
    const file = writeModel(ws, 'tokens', TOKENS);
    const session = await ExplainSession.open({ modelPath: file, text: TOKENS, options: { workspace: ws, threads: 1 } });
    const r = await session.explain('train', 2, { method: 'integrated_gradients', steps: 256, baseline: 'mean' });
    assert.deepStrictEqual([r.input.kind, r.input.shape, r.mapShape, r.attributions.length], ['tokens', [5], [5], 5]);
    assert.ok(r.input.values.every((v) => Number.isInteger(v) && v >= 0 && v < 7), 'the input is the token ids');
    assert.ok(r.completeness && r.completeness.relativeGap < 0.01, `gap ${r.completeness?.relativeGap}`);
    const g = await session.explain('train', 2, { method: 'gradient' });
    assert.strictEqual(g.display, 'magnitude');
    assert.ok(g.attributions.every((v) => v >= 0), 'per-token gradient norms');
    await assert.rejects(session.explain('train', 2, { method: 'integrated_gradients', baseline: 'blurred' }), /blurred baseline needs an image/);
  });
});
