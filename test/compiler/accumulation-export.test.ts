// The compiler's gradient-accumulation graphs, output naming without Identity copies, and the
// export's embedded input standardisation.
import { strict as assert } from 'assert';
import { onnx } from 'onnx-proto';
import { compileText, initialValues } from './train-harness';
import { compileAccumulation } from '../../src/compiler/compile';
import { buildExportModel } from '../../src/compiler/export';
import { CompileError } from '../../src/compiler/errors';
import { firstNonFiniteLayer } from '../../src/compiler/finite';
import { session, f32, i64, type Feed } from './run-graph';

const MLP = `
name: acc-mlp
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: h, type: Dense, units: 5, activation: relu}
  - {id: bn, type: BatchNorm}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: sgd, lr: 0.1, momentum: 0.9}
`;

function graphOf(bytes: Uint8Array): onnx.IGraphProto {
  return onnx.ModelProto.decode(bytes).graph!;
}

function paramFeeds(c: ReturnType<typeof compileText>, params: Map<string, number[]>, names: string[]): Record<string, Feed> {
  const shapes = new Map([...c.params.map((p) => [p.name, p.shape] as const), ...c.state.map((s) => [s.name, s.shape] as const)]);
  return Object.fromEntries(names.map((n) => [n, f32(shapes.get(n)!, params.get(n)!)]));
}

describe('compiler accumulation graphs and output naming', () => {
  it('builds the gradient and apply steps once, with the contract names', () => {
    const c = compileText(MLP);
    const a = compileAccumulation(c);
    assert.equal(compileAccumulation(c), a, 'cached per compiled model');
    assert.deepEqual(a.gradIO.grads.map((g) => g.output), c.trainIO.statParams.map((p) => `grad.${p}`));
    assert.deepEqual(a.applyIO.grads.map((g) => g.input), c.trainIO.statParams.map((p) => `grad.${p}`));
    assert.deepEqual(a.gradIO.updates.map((u) => u.input), ['bn.running_mean', 'bn.running_var']);
    assert.deepEqual(a.gradIO.finiteLayers, c.trainIO.finiteLayers);
    assert.deepEqual(a.applyIO.finiteLayers, c.trainIO.finiteLayers);
    assert.deepEqual(a.applyIO.carries.map((k) => k.output), c.trainIO.carries.filter((k) => !k.input.startsWith('bn.running')).map((k) => k.output));
  });

  it('names outputs on their producing nodes: no Identity copies, the same names as before', () => {
    const c = compileText(MLP);
    const a = compileAccumulation(c);
    const ios: [Uint8Array, string[]][] = [
      [c.train, [c.trainIO.loss, c.trainIO.nonFinite, c.trainIO.gradNorm, c.trainIO.weightNorm, c.trainIO.updateRatio, c.trainIO.globalGradNorm, ...c.trainIO.carries.map((k) => k.output), ...c.trainIO.metrics.map((m) => m.output)]],
      [c.eval, [c.evalIO.loss, ...c.evalIO.outputs.map((o) => o.output), ...c.evalIO.metrics.map((m) => m.output)]],
      [a.grad, [a.gradIO.loss, a.gradIO.nonFinite, ...a.gradIO.grads.map((g) => g.output), ...a.gradIO.updates.map((u) => u.output)]],
      [a.apply, [a.applyIO.nonFinite, a.applyIO.globalGradNorm, ...a.applyIO.carries.map((k) => k.output)]],
    ];
    assert.ok(c.trainIO.carries.some((k) => k.output === 'h.weight.new') && c.evalIO.outputs[0].output === 'out');
    for (const [bytes, names] of ios) {
      const g = graphOf(bytes);
      const outputs = new Set(g.output!.map((o) => o.name));
      const producers = new Map(g.node!.flatMap((n) => n.output!.map((o) => [o, n.opType] as const)));
      for (const name of names) {
        assert.ok(outputs.has(name), `${g.name}: output '${name}' declared`);
        assert.ok(producers.has(name) && producers.get(name) !== 'Identity', `${g.name}: '${name}' comes straight from a ${producers.get(name)} node`);
      }
      assert.equal(g.node!.filter((n) => n.opType === 'Identity').length, 0, `${g.name} has no Identity nodes`);
    }
  });

  it('keeps an Identity where one value has two output names', () => {
    // `d` (Dropout) is the identity in eval mode, so outputs `h` and `d` are the same value.
    const c = compileText('layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: h, type: Dense, units: 2}\n  - {id: d, type: Dropout, rate: 0.5}\noutputs: [h, d]\nloss: mse\n');
    const g = graphOf(c.eval);
    const names = c.evalIO.outputs.map((o) => o.output);
    assert.deepEqual(names, ['h', 'd']);
    const produced = new Set(g.node!.flatMap((n) => n.output!));
    for (const n of names) assert.ok(produced.has(n), `output '${n}' is produced`);
    assert.equal(g.node!.filter((n) => n.opType === 'Identity').length, 1, 'the second name is a copy of the first');
  });

  it('apply step codes name the layer whose update went non-finite', async () => {
    const c = compileText(MLP);
    const a = compileAccumulation(c);
    const { params, state } = initialValues(c, 2);
    const run = await session(a.apply);
    const feeds = (grad: (p: string) => number): Record<string, Feed> => {
      const f: Record<string, Feed> = { ...paramFeeds(c, params, a.applyIO.params), ...paramFeeds(c, state, a.applyIO.state) };
      for (const gi of a.applyIO.grads) f[gi.input] = f32(c.params.find((p) => p.name === gi.param)!.shape, params.get(gi.param)!.map(() => grad(gi.param)));
      f[a.applyIO.lr] = f32([], [0.1]);
      f[a.applyIO.step] = i64([], [1]);
      return f;
    };
    const ok = await run(feeds(() => 0.01));
    assert.deepEqual(ok[a.applyIO.nonFinite].data, [0, 0, 0, 0]);
    const bad = await run(feeds((p) => (p === 'bn.gamma' ? Infinity : 0.01)));
    assert.deepEqual(bad[a.applyIO.nonFinite].data, [0, 0, 2, 0], 'only the layer with the infinite gradient');
    assert.equal(firstNonFiniteLayer(a.applyIO.finiteLayers, bad[a.applyIO.nonFinite].data), 'bn');
  });

  it('embeds input standardisation in the export: raw features give the standardised model outputs', async () => {
    const c = compileText(MLP);
    const { params } = initialValues(c, 4);
    const weights = new Map([...params].map(([k, v]) => [k, Float32Array.from(v)]));
    const mean = Float32Array.of(10, -3, 0.5);
    const std = Float32Array.of(2, 0.25, 4);
    const plain = await session(buildExportModel(c, weights));
    const embedded = await session(buildExportModel(c, weights, { standardize: { x: { mean, std } } }));
    const raw = [12, -3.5, 0.5, 7, -2, 4.5];
    const standardised = raw.map((v, i) => (v - mean[i % 3]) / std[i % 3]);
    const want = (await plain({ x: f32([2, 3], standardised) })).out.data;
    const got = (await embedded({ x: f32([2, 3], raw) })).out.data;
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `output ${i}: ${v} vs ${want[i]}`));
    const unstandardised = (await plain({ x: f32([2, 3], raw) })).out.data;
    assert.ok(unstandardised.some((v, i) => Math.abs(v - want[i]) > 1e-3), 'without it the raw features give other outputs');
  });

  it('rejects a standardisation that does not fit the inputs with a CompileError saying what is wrong', () => {
    const c = compileText(MLP);
    const { params } = initialValues(c, 4);
    const weights = new Map([...params].map(([k, v]) => [k, Float32Array.from(v)]));
    const ok = { mean: new Float32Array(3), std: Float32Array.of(1, 1, 1) };
    assert.throws(() => buildExportModel(c, weights, { standardize: { y: ok } }), (e: unknown) => e instanceof CompileError && /'y'.*not an Input layer.*x/.test(e.message));
    assert.throws(() => buildExportModel(c, weights, { standardize: { x: { ...ok, mean: new Float32Array(2) } } }), (e: unknown) => e instanceof CompileError && /mean.*2 values.*\[3\]/.test(e.message));
    assert.throws(() => buildExportModel(c, weights, { standardize: { x: { ...ok, std: Float32Array.of(1, 0, 1) } } }), (e: unknown) => e instanceof CompileError && /std.*feature 1/.test(e.message));
  });
});
