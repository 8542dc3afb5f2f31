// The backward driver: fan-out, stopping at non-differentiable values, values the loss does not
// depend on, error reporting, and the leanness of the emitted graph.
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { attr, Graph, serializeModel } from '../../src/onnx/graph';
import '../../src/onnx/ops';
import { addBackward } from '../../src/compiler/autodiff/backward';
import { CompileError } from '../../src/compiler/errors';
import { getInt } from '../../src/onnx/ops/attrs';
import { checkGradients, ints, v } from './harness';

const SESSION = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };

/** Runs `g` with float32 feeds and returns the named outputs' data and dims. */
async function run(g: Graph, feeds: Record<string, { data: number[]; dims: number[] }>, outputs: string[]) {
  for (const o of outputs) g.output(o);
  const s = await ort.InferenceSession.create(serializeModel(g), SESSION);
  const t: Record<string, ort.Tensor> = {};
  for (const [k, f] of Object.entries(feeds)) t[k] = new ort.Tensor('float32', Float32Array.from(f.data), f.dims);
  const out = await s.run(t);
  return outputs.map((o) => ({ data: Array.from(out[o].data as Float32Array), dims: out[o].dims }));
}

describe('addBackward', () => {
  it('sums the contributions of a value used several times with one Sum node', async () => {
    const g = await checkGradients({
      op: 'fan-out',
      inputs: [v([2, 3]), v([3])],
      dtype: 'float64',
      build: (g, [x, b]) => [g.op('Add', [g.op('Mul', [x, x]), g.op('Tanh', [g.op('Add', [x, b])])]), g.op('Sigmoid', [b])],
    });
    // x feeds Mul twice and Add once; b feeds Add and Sigmoid: one Sum node each, plus the
    // harness's own Sum of the two loss terms.
    assert.equal(g.nodes.filter((n) => n.op === 'Sum').length, 3);
  });

  it('differentiates a small classifier end to end (MatMul, bias, ReLU, log-softmax, mean)', async () => {
    const g = await checkGradients({
      op: 'mlp',
      inputs: [v([4, 3], { decl: ['N', 3], diff: false }), v([3, 5]), v([5]), v([5, 2]), v([2])],
      dtype: 'float64',
      env: { N: 4 },
      build: (g, [x, w1, b1, w2, b2]) => {
        const h = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w1]), b1])]);
        const logits = g.op('Add', [g.op('MatMul', [h, w2]), b2]);
        const logp = g.op('LogSoftmax', [logits], { axis: attr.int(1) });
        return [g.op('ReduceMean', [logp], { axes: attr.ints([0]), keepdims: attr.int(0) })];
      },
    });
    // Static shapes are known apart from the batch: the only runtime Shape op is the one the
    // batch mean needs (its count, and spreading dY over the batch), emitted once.
    assert.equal(g.nodes.filter((n) => n.op === 'Shape').length, 1);
  });

  it('passes gradients through Reshape but not into its shape input, and around an int branch', async () => {
    await checkGradients({
      op: 'int branch',
      inputs: [v([2, 6]), ints([3, 4])],
      dtype: 'float64',
      build: (g, [x, shape]) => {
        const r = g.op('Reshape', [g.op('Exp', [x]), shape]);
        const arg = g.op('ArgMax', [r], { axis: attr.int(1), keepdims: attr.int(0) });
        const picked = g.op('Cast', [arg], { to: attr.int(11) });
        return [g.op('Mul', [g.op('ReduceSum', [r], { keepdims: attr.int(0) }), g.op('ReduceSum', [picked], { keepdims: attr.int(0) })])];
      },
    });
  });

  it('returns zeros shaped like a value the loss does not depend on', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['N', 3]);
    const w = g.input('w', 'float32', [3, 2]);
    const unused = g.input('u', 'float32', ['N', 4]);
    const loss = g.op('ReduceSum', [g.op('MatMul', [x, w])], { keepdims: attr.int(0) });
    const grads = addBackward(g, loss, [w, unused]);
    assert.deepEqual(g.shapeOf(grads.get(unused)!), ['N', 4]);
    const [dw, du] = await run(
      g,
      { x: { data: [1, 2, 3, 4, 5, 6], dims: [2, 3] }, w: { data: [0, 0, 0, 0, 0, 0], dims: [3, 2] }, u: { data: new Array(8).fill(7), dims: [2, 4] } },
      [grads.get(w)!, grads.get(unused)!],
    );
    assert.deepEqual(dw.data, [5, 5, 7, 7, 9, 9]);
    assert.deepEqual(du.dims, [2, 4]);
    assert.deepEqual(du.data, new Array(8).fill(0));
  });

  it('does not differentiate branches that do not reach the loss, even through ops without rules', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [2]);
    const side = g.op('Foo', [x]);
    g.setType(side, 'float32', [2]);
    const loss = g.op('ReduceSum', [g.op('Exp', [x])], { keepdims: attr.int(0) });
    assert.ok(addBackward(g, loss, [x]).get(x));
  });

  it('reports an op without a gradient rule as a CompileError naming the op and the layer', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['N', 4]);
    g.layer = 'conv1';
    const y = g.op('Foo', [x]);
    g.setType(y, 'float32', ['N', 4]);
    g.layer = 'head';
    const loss = g.op('ReduceSum', [y], { keepdims: attr.int(0) });
    assert.throws(
      () => addBackward(g, loss, [x]),
      (e: unknown) => e instanceof CompileError && e.op === 'Foo' && e.layer === 'conv1' && /no gradient rule for ONNX op 'Foo' \(layer 'conv1'\)/.test(e.message),
    );
  });

  it('rejects a loss that is not a float scalar and targets that are not float tensors', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [3]);
    const k = g.input('k', 'int64', [3]);
    assert.throws(() => addBackward(g, g.op('Exp', [x]), [x]), (e: unknown) => e instanceof CompileError && /float scalar/.test(e.message));
    const loss = g.op('ReduceSum', [x], { keepdims: attr.int(0) });
    assert.throws(() => addBackward(g, loss, [k]), (e: unknown) => e instanceof CompileError && /int64/.test(e.message));
  });

  it('gives the gradient with respect to the loss itself as 1', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [3]);
    const loss = g.op('ReduceSum', [x], { keepdims: attr.int(0) });
    const grads = addBackward(g, loss, [loss, x]);
    const [dl, dx] = await run(g, { x: { data: [1, 2, 3], dims: [3] } }, [g.op('Identity', [grads.get(loss)!]), grads.get(x)!]);
    assert.deepEqual(dl.data, [1]);
    assert.deepEqual(dx.data, [1, 1, 1]);
  });

  it('shares a MaxPool gradient between tied values where windows tile the input, routes it to one element where they do not', async () => {
    // Each window's total gradient is its dY either way (a valid subgradient).
    const windowGrads = async (size: number, stride: number) => {
      const g = new Graph('t');
      const x = g.input('x', 'float32', [1, 1, size, size]);
      const y = g.op('MaxPool', [x], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([stride, stride]) });
      const loss = g.op('ReduceSum', [g.op('Mul', [y, g.floats([1, 2, 3, 4], [1, 1, 2, 2])])], { keepdims: attr.int(0) });
      const dx = addBackward(g, loss, [x]).get(x)!;
      const [out] = await run(g, { x: { data: new Array(size * size).fill(0.5), dims: [1, 1, size, size] } }, [dx]);
      return [0, 1, 2, 3].map((w) => [0, 1, size, size + 1].map((o) => out.data[(w >> 1) * stride * size + (w & 1) * stride + o]));
    };
    (await windowGrads(4, 2)).forEach((vals, w) => assert.deepEqual(vals, [0, 1, 2, 3].map(() => (w + 1) / 4), `tiled window ${w}`));
    (await windowGrads(5, 3)).forEach((vals, w) => {
      assert.equal(vals.filter((d) => d !== 0).length, 1, `window ${w}: ${vals}`);
      assert.equal(vals.reduce((a, b) => a + b, 0), w + 1);
    });
  });

  it('takes a MaxPool gradient without indices where windows tile the input, unpools it where they are disjoint, scatters it where they overlap', () => {
    const ops = (dtype: 'float32' | 'float64', kernel: number, stride: number) => {
      const g = new Graph('t');
      const x = g.input('x', dtype, [1, 1, 6, 6]);
      const y = g.op('MaxPool', [x], { kernel_shape: attr.ints([kernel, kernel]), strides: attr.ints([stride, stride]) });
      addBackward(g, g.op('ReduceSum', [y], { keepdims: attr.int(0) }), [x]);
      const pool = g.nodes.find((n) => n.op === 'MaxPool')!;
      return [`outputs ${pool.outputs.length}`, ...g.nodes.map((n) => n.op).filter((op) => ['MaxUnpool', 'ScatterElements', 'AveragePool'].includes(op))];
    };
    assert.deepEqual(ops('float32', 2, 2), ['outputs 1', 'AveragePool'], 'the tie count pools the mask');
    assert.deepEqual(ops('float32', 2, 3), ['outputs 2', 'MaxUnpool']);
    assert.deepEqual(ops('float32', 3, 2), ['outputs 2', 'ScatterElements'], 'overlapping windows add up');
    assert.deepEqual(ops('float64', 2, 2), ['outputs 2', 'ScatterElements'], 'ORT has no double AveragePool or MaxUnpool');
  });

  it('splits a one-input-channel Conv weight gradient over two row bands of dY, so its convolution has groups to share out', () => {
    const weightGradConv = (channels: number, size: number) => {
      const g = new Graph('t');
      const x = g.input('x', 'float32', ['N', channels, size, size]);
      const w = g.input('w', 'float32', [4, channels, 3, 3]);
      const y = g.op('Conv', [x, w], { pads: attr.ints([1, 1, 1, 1]) });
      const before = g.nodes.length;
      addBackward(g, g.op('ReduceSum', [y], { keepdims: attr.int(0) }), [w]);
      const conv = g.nodes.slice(before).find((n) => n.op === 'Conv')!;
      return `group ${getInt(conv, 'group', 1)}`;
    };
    assert.equal(weightGradConv(1, 8), 'group 2');
    assert.equal(weightGradConv(1, 7), 'group 1', 'odd rows: no equal bands');
    assert.equal(weightGradConv(3, 8), 'group 1', 'several channels already give the convolution a batch to share out');
  });

  it('takes a Conv input gradient as a flipped-kernel Conv for same padding and as ConvTranspose where the output shrinks', () => {
    const inputGradOp = (pads: number[], strides: number[]) => {
      const g = new Graph('t');
      const x = g.input('x', 'float32', [2, 3, 8, 8]);
      const w = g.input('w', 'float32', [4, 3, 3, 3]);
      const y = g.op('Conv', [x, w], { pads: attr.ints(pads), strides: attr.ints(strides) });
      const before = g.nodes.length;
      addBackward(g, g.op('ReduceSum', [y], { keepdims: attr.int(0) }), [x]);
      return g.nodes.slice(before).map((n) => n.op).filter((op) => op === 'Conv' || op === 'ConvTranspose');
    };
    assert.deepEqual(inputGradOp([1, 1, 1, 1], [1, 1]), ['Conv'], 'same padding: as fast, no scatter of the output');
    assert.deepEqual(inputGradOp([0, 0, 0, 0], [1, 1]), ['ConvTranspose'], 'valid: a convolution would also run over the zero border');
    assert.deepEqual(inputGradOp([1, 1, 1, 1], [2, 2]), ['ConvTranspose'], 'strided');
  });

  it('scales by the kept mask for Dropout in training mode', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [64]);
    const training = g.initializer('training', 'bool', [], Uint8Array.of(1));
    const y = g.op('Dropout', [x, g.floats([0.25]), training], { seed: attr.int(3) });
    const loss = g.op('ReduceSum', [g.op('Mul', [y, y])], { keepdims: attr.int(0) });
    const dx = addBackward(g, loss, [x]).get(x)!;
    const xs = Array.from({ length: 64 }, (_, i) => 1 + i / 64);
    const [out, dxv] = await run(g, { x: { data: xs, dims: [64] } }, [y, dx]);
    // y = x·mask/0.75, so d(Σy²)/dx = 2·y·mask/0.75 = 2·y/0.75 where kept, 0 where dropped.
    const kept = out.data.filter((d) => d !== 0).length;
    assert.ok(kept > 20 && kept < 64, `kept ${kept}`);
    out.data.forEach((yi, i) => assert.ok(Math.abs(dxv.data[i] - (2 * yi) / 0.75) < 1e-4, `element ${i}`));
  });
});
