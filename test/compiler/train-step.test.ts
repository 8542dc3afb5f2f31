// The compiled train step, eval and export models end to end: determinism, statistics, clipping,
// finite checks, consistency of eval/export, a short training run and compile errors.
import { strict as assert } from 'assert';
import { compileText, evaluator, initialValues, trainer, type Batch, type Values } from './train-harness';
import { buildExportModel } from '../../src/compiler/export';
import { compileModel } from '../../src/compiler/compile';
import { analyzeModel } from '../../src/analysis/analyze';
import { CompileError } from '../../src/compiler/errors';
import { learningRate } from '../../src/compiler/schedule';
import { firstNonFiniteLayer } from '../../src/compiler/finite';
import { session, f32, i64 } from './run-graph';
import { mulberry32, normals } from '../../src/compiler/random';
import * as ref from './reference';
import { onnx } from 'onnx-proto';

const MLP = `
name: xor-mlp
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 16, activation: tanh}
  - {id: d, type: Dropout, rate: 0.1}
  - {id: bn, type: BatchNorm}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.05}
`;

/** Noisy XOR: class = sign(x0) != sign(x1). */
function xor(n: number, seed: number): { batch: Batch; labels: number[] } {
  const u = mulberry32(seed);
  const noise = normals(u);
  const x: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = u() < 0.5 ? -1 : 1;
    const b = u() < 0.5 ? -1 : 1;
    x.push(a + 0.2 * noise(), b + 0.2 * noise());
    labels.push(a === b ? 0 : 1);
  }
  return { batch: { x: { x: f32([n, 2], x) }, y: i64([n], labels) }, labels };
}

describe('compiler train step', function () {
  this.timeout(60000);

  it('names every input and output the engine needs', () => {
    const c = compileText(MLP);
    const io = c.trainIO;
    assert.deepEqual(io.features, [{ name: 'x', layer: 'x', dtype: 'float32', shape: [2] }]);
    assert.deepEqual(io.labels, { name: 'lw.labels', dtype: 'int64', shape: [] });
    assert.deepEqual(io.params, ['h.weight', 'h.bias', 'bn.gamma', 'bn.beta', 'bn.running_mean', 'bn.running_var', 'out.weight', 'out.bias']);
    assert.deepEqual(io.statParams, ['h.weight', 'h.bias', 'bn.gamma', 'bn.beta', 'out.weight', 'out.bias']);
    assert.equal(c.state.length, 12, 'adam keeps m and v per trainable tensor');
    assert.deepEqual(new Set(io.carries.map((k) => k.input)), new Set([...io.params, ...io.state]), 'every param and state tensor is carried');
    assert.deepEqual(io.finiteLayers, ['x', 'h', 'd', 'bn', 'out']);
    assert.deepEqual(c.evalIO.outputs.map((o) => o.layer), ['out']);
    assert.deepEqual(io.metrics.map((m) => m.metric), ['accuracy']);
  });

  it('a step is a pure function of its inputs (bit-identical reruns, dropout included)', async () => {
    const c = compileText(MLP);
    const t = await trainer(c);
    const { params, state } = initialValues(c, 5);
    const { batch } = xor(32, 6);
    const a = await t.run(params, state, batch, 0.01, 1, 1234);
    const b = await t.run(params, state, batch, 0.01, 1, 1234);
    const d = await t.run(params, state, batch, 0.01, 1, 1235);
    for (const k of Object.keys(a)) assert.deepEqual(a[k].data, b[k].data, `output ${k} differs between identical runs`);
    assert.notEqual(a[c.trainIO.loss].data[0], d[c.trainIO.loss].data[0], 'another seed should give another dropout mask and loss');
  });

  it('reports weight norms, update ratios and the global gradient norm consistently', async () => {
    const c = compileText(MLP.replace('adam, lr: 0.05', 'sgd, lr: 0.1'));
    const t = await trainer(c);
    const { params, state } = initialValues(c, 7);
    const before: Values = new Map(params);
    const out = await t.step(params, state, xor(16, 8).batch, 0.1, 1, 3);
    const io = c.trainIO;
    let total = 0;
    io.statParams.forEach((name, k) => {
      const w = before.get(name)!;
      const w2 = params.get(name)!;
      const wn = Math.hypot(...w);
      const dn = Math.hypot(...w.map((v, i) => v - w2[i]));
      assert.ok(Math.abs(out[io.weightNorm].data[k] - wn) < 1e-4 * Math.max(1, wn), `weight norm of ${name}`);
      const ratio = wn > 0 ? dn / wn : 0;
      assert.ok(Math.abs(out[io.updateRatio].data[k] - ratio) < 1e-3 * Math.max(1e-3, ratio), `update ratio of ${name}: ${out[io.updateRatio].data[k]} vs ${ratio}`);
      // Plain SGD: the update is lr * g.
      const gn = dn / 0.1;
      assert.ok(Math.abs(out[io.gradNorm].data[k] - gn) < 1e-3 * Math.max(1e-3, gn), `grad norm of ${name}: ${out[io.gradNorm].data[k]} vs ${gn}`);
      total += gn * gn;
    });
    assert.ok(Math.abs(out[io.globalGradNorm].data[0] - Math.sqrt(total)) < 1e-3 * Math.sqrt(total), 'global gradient norm');
    assert.deepEqual(out[io.nonFinite].data, [0, 0, 0, 0, 0]);
    // Running statistics moved towards the batch statistics.
    assert.notDeepEqual(params.get('bn.running_mean'), before.get('bn.running_mean'));
  });

  it('clips the global gradient norm to clip_norm', async () => {
    const c = compileText(MLP.replace('adam, lr: 0.05', 'sgd, lr: 0.1, clip_norm: 0.01'));
    const t = await trainer(c);
    const { params, state } = initialValues(c, 7);
    const before: Values = new Map(params);
    const out = await t.step(params, state, xor(16, 8).batch, 1, 1, 3);
    const raw = out[c.trainIO.globalGradNorm].data[0];
    assert.ok(raw > 0.01, `the test needs a raw norm above the clip, got ${raw}`);
    let sq = 0;
    for (const name of c.trainIO.statParams) sq += before.get(name)!.reduce((s, v, i) => s + (v - params.get(name)![i]) ** 2, 0);
    assert.ok(Math.abs(Math.sqrt(sq) - 0.01) < 1e-5, `update norm with lr 1 should be the clip 0.01, got ${Math.sqrt(sq)}`);
  });

  it('flags non-finite outputs and gradients per layer, and names the culprit', async () => {
    const c = compileText(MLP);
    const t = await trainer(c);
    const { params, state } = initialValues(c, 5);
    const { batch } = xor(8, 9);
    const layers = c.trainIO.finiteLayers;
    const bad = { ...batch, x: { x: f32([8, 2], Array.from(batch.x.x.data, (v, i) => (i === 3 ? NaN : v))) } };
    const codes = (await t.run(params, state, bad, 0.01, 1, 1))[c.trainIO.nonFinite].data;
    assert.equal(codes[0], 1, `a NaN feature marks the Input layer: [${codes}]`);
    assert.equal(firstNonFiniteLayer(layers, codes), 'x');
    const huge: Values = new Map(params);
    huge.set('out.weight', params.get('out.weight')!.map(() => 3e38));
    const codes2 = (await t.run(huge, state, batch, 0.01, 1, 1))[c.trainIO.nonFinite].data;
    assert.ok(codes2.slice(0, 4).every((v) => v !== 1), `layers before 'out' compute finite outputs: [${codes2}]`);
    assert.equal(codes2[4], 1, `overflowing logits mark 'out': [${codes2}]`);
    assert.equal(codes2[1], 2, `NaN gradients reach the weights of 'h': [${codes2}]`);
    assert.equal(firstNonFiniteLayer(layers, codes2), 'out');
    const ok = (await t.run(params, state, batch, 0.01, 1, 1))[c.trainIO.nonFinite].data;
    assert.deepEqual(ok, [0, 0, 0, 0, 0]);
    assert.equal(firstNonFiniteLayer(layers, ok), undefined);
  });

  it('names the Input, not the Flatten after it, for a NaN feature (a reshape is not checked on its own)', async () => {
    const c = compileText('layers:\n  - {id: x, type: Input, shape: [1, 2]}\n  - {id: flat, type: Flatten}\n  - {id: out, type: Dense, units: 1}\nloss: mse\n');
    const t = await trainer(c);
    const { params, state } = initialValues(c, 5);
    const batch = { x: { x: f32([2, 1, 2], [1, NaN, 3, 4]) }, y: f32([2, 1], [1, -1]) };
    const codes = (await t.run(params, state, batch, 0.01, 1, 1))[c.trainIO.nonFinite].data;
    assert.deepEqual(Array.from(c.trainIO.finiteLayers), ['x', 'flat', 'out']);
    assert.equal(codes[0], 1, `the Input holds the NaN: [${codes}]`);
    assert.equal(firstNonFiniteLayer(c.trainIO.finiteLayers, codes), 'x');
  });

  it('marks layers whose gradients overflow while their outputs stay finite', async () => {
    const c = compileText('layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: h, type: Dense, units: 3, activation: tanh}\n  - {id: out, type: Dense, units: 1}\nloss: mse\n');
    const t = await trainer(c);
    const { params, state } = initialValues(c, 5);
    const batch = { x: { x: f32([2, 2], [1, 2, 3, 4]) }, y: f32([2, 1], [1e30, -1e30]) };
    const codes = (await t.run(params, state, batch, 0.01, 1, 1))[c.trainIO.nonFinite].data;
    assert.deepEqual(codes, [0, 2, 2], `gradients of both dense layers overflow: [${codes}]`);
    assert.equal(firstNonFiniteLayer(c.trainIO.finiteLayers, codes), 'out', 'gradients go bad from the loss backwards');
  });

  it('trains an MLP on noisy XOR: Adam drops the loss by more than half in 200 steps', async () => {
    const c = compileText(MLP);
    const t = await trainer(c);
    const { params, state } = initialValues(c, 11);
    const { batch } = xor(64, 12);
    const losses: number[] = [];
    for (let s = 0; s < 200; s++) {
      const lr = learningRate(c.config.schedule, c.config.optimizer, s, 1, 200);
      const out = await t.step(params, state, batch, lr, s + 1, 1000 + s);
      losses.push(out[c.trainIO.loss].data[0]);
    }
    const first = losses[0];
    const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
    assert.ok(last < 0.5 * first, `loss went from ${first.toFixed(4)} to ${last.toFixed(4)} (init seed 11, data seed 12)`);
    const ev = await evaluator(c);
    const r = await ev(params, xor(200, 13).batch);
    const acc = r[c.evalIO.metrics[0].output].data[0] / 200;
    assert.ok(acc > 0.9, `held-out accuracy ${acc}`);
  });

  it('the export model reproduces the eval outputs with the weights baked in', async () => {
    const c = compileText(MLP);
    const t = await trainer(c);
    const { params, state } = initialValues(c, 5);
    const { batch } = xor(16, 14);
    for (let s = 1; s <= 3; s++) await t.step(params, state, batch, 0.05, s, s);
    const weights = new Map([...params].map(([k, v]) => [k, Float32Array.from(v)]));
    const bytes = buildExportModel(c, weights);
    const run = await session(bytes);
    const exported = await run({ x: batch.x.x });
    const evaluated = await (await evaluator(c))(params, batch);
    const out = c.evalIO.outputs[0].output;
    assert.ok(exported.out, `the export names its output after the layer: ${Object.keys(exported)}`);
    assert.ok(ref.maxRelError(exported.out.data, evaluated[out].data) < 1e-6, 'export vs eval outputs');
    assert.throws(() => buildExportModel(c, new Map()), CompileError);
    const proto = onnx.ModelProto.decode(bytes);
    assert.equal(Number(proto.irVersion), 8);
    assert.deepEqual(proto.opsetImport.map((o) => [o.domain, Number(o.version)]), [['', 17]]);
    assert.deepEqual((proto.graph?.input ?? []).map((i) => i.name), ['x'], 'only the data input; weights are initializers');
    const baked = new Set((proto.graph?.initializer ?? []).map((t) => t.name));
    for (const p of c.params) assert.ok(baked.has(p.name), `weight ${p.name} is baked in`);
  });

  it('accepts probability labels for cross-entropy: one-hot targets give the same loss as indices', async () => {
    const a = compileText(MLP);
    const b = compileText(MLP, { labels: 'probabilities' });
    assert.deepEqual(b.trainIO.labels, { name: 'lw.labels', dtype: 'float32', shape: [2] });
    const { params, state } = initialValues(a, 5);
    const { batch, labels } = xor(16, 15);
    const oneHot = { ...batch, y: f32([16, 2], labels.flatMap((l) => (l === 0 ? [1, 0] : [0, 1]))) };
    const la = (await (await trainer(a)).run(params, state, batch, 0.01, 1, 4))[a.trainIO.loss].data[0];
    const lb = (await (await trainer(b)).run(params, state, oneHot, 0.01, 1, 4))[b.trainIO.loss].data[0];
    assert.ok(Math.abs(la - lb) < 1e-6, `index labels give ${la}, one-hot labels ${lb}`);
  });

  it('turns an unsupported layer or a bad loss output into a CompileError naming it', () => {
    // Every kind the analyser knows is lowered, so a kind the compiler lacks is simulated by renaming one.
    const mlp = analyzeModel(MLP);
    const summary = structuredClone(mlp.summary!);
    const victim = summary.layers.find((l) => l.kind === 'Dense')!;
    victim.kind = 'Mystery';
    assert.throws(() => compileModel(summary, mlp.model!), (e: unknown) => e instanceof CompileError && e.layer === victim.spec.id && /Mystery/.test(e.message));
    const badOut = analyzeModel(MLP.replace('loss: cross_entropy', 'loss: {type: cross_entropy, output: h}'));
    assert.throws(() => compileModel(badOut.summary!, badOut.model!), (e: unknown) => e instanceof CompileError && /'h'/.test(e.message));
  });
});
