// The Explain view's two engine paths: `explainIndex` (the model's prediction for every sample of
// a split, for filtering) against the predictions `explain` gives sample by sample, and
// explaining input values the host gives (an image file, a CSV row) against explaining the same
// values as a sample of the split — for plain features, standardised CSV columns and token ids —
// with the errors for inputs that do not fit. Small models on initial weights: no training.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/engine/engine';
import { ExplainSession } from '../../src/explain/explain';
import type { ExplainResult } from '../../src/explain/types';
import { removeWorkspace, tempWorkspace, writeModel } from '../engine/helpers';

const MOONS = `
name: moons
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 8, activation: tanh}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
training: {seed: 2, validation_split: 0.2}
data: {source: moons, samples: 100}
`;

/** Three CSV columns far from mean 0 / std 1, so standardisation visibly changes the values. */
const CSV_MODEL = `
name: csv
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: h, type: Dense, units: 6, activation: tanh}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
training: {seed: 4, validation_split: 0.25}
data: {source: csv, path: table.csv, label: kind}
`;

const TOKENS = `
name: tokens
layers:
  - {id: tokens, type: Input, shape: [5], dtype: int64}
  - {id: emb, type: Embedding, vocab_size: 7, dim: 4}
  - {id: rnn, type: LSTM, units: 3}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
training: {seed: 3, validation_split: 0.25}
data: {source: sorted, samples: 40, length: 5, vocab: 7}
`;

const REGRESSION = `
name: regression
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 4, activation: tanh}
  - {id: y, type: Dense, units: 1}
loss: mse
training: {seed: 5, validation_split: 0.3}
data: {source: csv, path: reg.csv, task: regression}
`;

function csvTable(rows: number): string {
  const lines = ['width,height,weight,kind'];
  const kinds = ['a', 'b', 'c'];
  for (let i = 0; i < rows; i++) lines.push(`${100 + 7 * ((i * 13) % 11)},${-40 + ((i * 7) % 9) * 3.5},${0.001 * ((i * 5) % 17)},${kinds[i % 3]}`);
  return lines.join('\n') + '\n';
}

function sameNumbers(a: readonly number[], b: readonly number[], tol: number, what: string): void {
  assert.strictEqual(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** The parts of two explanations of the same values that must agree. */
function sameExplanation(given: ExplainResult, sample: ExplainResult, tol: number): void {
  sameNumbers(given.input.values, sample.input.values, tol, 'model input');
  sameNumbers(given.attributions, sample.attributions, tol, 'attributions');
  sameNumbers(given.map, sample.map, tol, 'map');
  assert.deepStrictEqual(given.predictions.map((p) => p.index), sample.predictions.map((p) => p.index));
  sameNumbers(given.predictions.map((p) => p.probability!), sample.predictions.map((p) => p.probability!), tol, 'probabilities');
  assert.deepStrictEqual(given.target, sample.target);
  assert.strictEqual(given.input.given, true);
  assert.strictEqual(sample.input.given, undefined);
  assert.deepStrictEqual([given.split, given.sample, given.count, given.label], [undefined, undefined, undefined, undefined]);
}

describe('explain/index and given inputs', function () {
  this.timeout(60000);
  let ws: string;
  before(() => {
    ws = tempWorkspace('lw-explain-index-');
    fs.writeFileSync(path.join(ws, 'table.csv'), csvTable(48));
    const reg = ['a,b,y', ...Array.from({ length: 30 }, (_, i) => `${i / 10},${(i % 7) - 3},${(0.5 * i) / 10 - (i % 7) + 2}`)];
    fs.writeFileSync(path.join(ws, 'reg.csv'), reg.join('\n') + '\n');
  });
  after(() => removeWorkspace(ws));

  it('lists every validation sample with the prediction `explain` makes for it', async () => {
    const file = writeModel(ws, 'moons', MOONS);
    const session = await ExplainSession.open({ modelPath: file, text: MOONS, options: { workspace: ws, threads: 1 } });
    const index = await session.index('validation');
    const { range, ...input } = index.input;
    assert.deepStrictEqual([index.split, index.splits, index.classifier, index.outputSize, input], ['validation', { train: 80, validation: 20, test: 0 }, true, 2, { kind: 'tabular', shape: [2], standardised: false }]);
    // The moons span about [-1, 2] x [-0.5, 1] (with noise).
    assert.ok(range && range[0] < -0.5 && range[0] > -2 && range[1] > 1.5 && range[1] < 3, `range ${range}`);
    assert.deepStrictEqual(index.samples.map((s) => s.sample), Array.from({ length: 20 }, (_, i) => i));
    for (const s of index.samples) {
      const r = await session.explain('validation', s.sample, { method: 'gradient', randomizationCheck: false });
      assert.strictEqual(s.label, r.label, `sample ${s.sample}: label`);
      assert.strictEqual(s.predicted, r.predictions[0].index, `sample ${s.sample}: predicted class`);
      assert.ok(Math.abs(s.confidence! - r.predictions[0].probability!) < 1e-6, `sample ${s.sample}: confidence ${s.confidence} vs ${r.predictions[0].probability}`);
      assert.ok(s.confidence! >= 0.5 && s.confidence! <= 1);
    }
    const right = index.samples.filter((s) => s.label === s.predicted).length;
    assert.strictEqual(index.accuracy, right / 20);
    const train = await session.index('train');
    assert.strictEqual(train.samples.length, 80);
    // An empty split lists nothing, with the sizes of the others to choose from.
    const test = await session.index('test');
    assert.deepStrictEqual([test.samples, test.splits.validation, test.accuracy], [[], 20, undefined]);
  });

  it('explains given values exactly like the same values as a sample of the split', async () => {
    const file = writeModel(ws, 'moons', MOONS);
    const session = await ExplainSession.open({ modelPath: file, text: MOONS, options: { workspace: ws, threads: 1 } });
    for (const method of ['integrated_gradients', 'occlusion'] as const) {
      const sample = await session.explain('validation', 5, { method, steps: 32 });
      const given = await session.explainInput(sample.input.values, { method, steps: 32 });
      sameExplanation(given, sample, 1e-9);
      assert.ok(given.randomization && Math.abs(given.randomization.spearman - sample.randomization!.spearman) < 1e-9);
    }
    const other = await session.explainInput([0.5, -0.25], { method: 'gradient', target: 1, randomizationCheck: false });
    assert.deepStrictEqual([other.input.values, other.target.index, other.input.raw], [[0.5, -0.25], 1, undefined]);
    await assert.rejects(session.explainInput([1, 2, 3], { method: 'gradient' }), /the input must be 2 numbers \(the model input's shape \[2\], row-major\), got 3 values/);
    await assert.rejects(session.explainInput([1, Number.NaN], { method: 'gradient' }), /input value 1 is not a finite number/);
    await assert.rejects(session.explainInput('1,2' as unknown as number[], { method: 'gradient' }), /the input must be 2 numbers/);
  });

  it('standardises a given CSV row like the data set, and reports the row as given', async () => {
    const file = writeModel(ws, 'csv', CSV_MODEL);
    const session = await ExplainSession.open({ modelPath: file, text: CSV_MODEL, options: { workspace: ws, threads: 1 } });
    const index = await session.index('validation');
    assert.deepStrictEqual([index.input.standardised, index.classNames, index.splits.validation], [true, ['a', 'b', 'c'], 12]);
    // The range is in the CSV's own units: from the height column's -40 to the width column's 170.
    const [lo, hi] = index.input.range!;
    assert.ok(Math.abs(lo + 40) < 1e-4 && Math.abs(hi - 170) < 1e-3, `range ${lo}..${hi}`);
    for (const i of [0, 7]) {
      const sample = await session.explain('validation', i, { method: 'integrated_gradients', steps: 16 });
      const raw = sample.input.raw!;
      assert.ok(raw[0] > 99 && raw[0] < 171, `the raw width is in the CSV's units: ${raw}`);
      assert.ok(sample.input.values.every((v) => Math.abs(v) < 3), `the model sees standardised values: ${sample.input.values}`);
      const given = await session.explainInput(raw, { method: 'integrated_gradients', steps: 16 });
      sameExplanation(given, sample, 1e-4);
      sameNumbers(given.input.raw!, raw, 0, 'raw values kept');
      assert.strictEqual(given.predictions[0].name, sample.predictions[0].name);
    }
  });

  it('token inputs: given ids explain like the sample; ids outside the vocabulary are refused', async () => {
    const file = writeModel(ws, 'tokens', TOKENS);
    const session = await ExplainSession.open({ modelPath: file, text: TOKENS, options: { workspace: ws, threads: 1 } });
    const index = await session.index('validation');
    assert.deepStrictEqual([index.input.kind, index.input.vocab, index.samples.length], ['tokens', 7, 10]);
    const sample = await session.explain('validation', 2, { method: 'integrated_gradients', steps: 32, baseline: 'mean' });
    const given = await session.explainInput(sample.input.values, { method: 'integrated_gradients', steps: 32, baseline: 'mean' });
    sameExplanation(given, sample, 1e-9);
    await assert.rejects(session.explainInput([1, 2, 7, 0, 0], { method: 'gradient' }), /token 2 is 7, but token ids are integers from 0 to 6/);
    await assert.rejects(session.explainInput([1, 2, 0.5, 0, 0], { method: 'gradient' }), /token 2 is 0.5/);
  });

  it('regression models: the index gives each sample its mean absolute error', async () => {
    const file = writeModel(ws, 'regression', REGRESSION);
    const session = await ExplainSession.open({ modelPath: file, text: REGRESSION, options: { workspace: ws, threads: 1 } });
    const index = await session.index('validation');
    assert.deepStrictEqual([index.classifier, index.accuracy, index.samples.length], [false, undefined, 9]);
    for (const s of index.samples.slice(0, 3)) {
      const r = await session.explain('validation', s.sample, { method: 'gradient', randomizationCheck: false });
      const expected = Math.abs(r.predictions[0].score - (r.label as number[])[0]);
      assert.ok(s.predicted === undefined && Math.abs(s.error! - expected) < 1e-5, `sample ${s.sample}: error ${s.error} vs ${expected}`);
    }
  });

  it('the engine answers explainIndex and explain with an input, and refuses a request with both a sample and an input', async () => {
    const file = writeModel(ws, 'moons', MOONS);
    const engine = new Engine(() => undefined);
    const base = { modelPath: file, text: MOONS, options: { workspace: ws, threads: 1 } };
    const index = await engine.handle({ id: 1, type: 'explainIndex', ...base });
    assert.ok(index.ok, JSON.stringify(index.error));
    const given = await engine.handle({ id: 2, type: 'explain', ...base, input: [0.1, 0.2], explain: { method: 'gradient' } });
    assert.ok(given.ok && (given.result as ExplainResult).input.given, JSON.stringify(given.error));
    const both = await engine.handle({ id: 3, type: 'explain', ...base, sample: 0, input: [0.1, 0.2], explain: { method: 'gradient' } });
    assert.deepStrictEqual([both.ok, both.error?.code, both.error?.message], [false, 'bad_request', 'give either a sample index or input values to explain, not both']);
    const neither = await engine.handle({ id: 4, type: 'explain', ...base, explain: { method: 'gradient' } });
    assert.match(neither.error?.message ?? '', /give a sample index \(sample\) or input values \(input\) to explain/);
  });
});
