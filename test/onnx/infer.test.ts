// Static type inference: each fixture case's inferred output types must match the expected
// ones, and onnxruntime must agree on the real extents. Also symbolic dimension arithmetic,
// tracked shape values, and the errors shape mismatches raise.
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { attr, Graph, serializeModel, type Attr, type Dim, type ElemType } from '../../src/onnx/graph';
import '../../src/onnx/ops';
import { addDim, divDim, evalDim, mulDim, sameDim } from '../../src/onnx/ops/dims';
import { knownOps, opInfo } from '../../src/onnx/ops/registry';
import { CompileError } from '../../src/compiler/errors';
import fixture from './fixtures/infer-cases.json';

type JsonAttr = { int?: number; ints?: number[]; float?: number; floats?: number[]; string?: string };
type JsonInput = { shape: Dim[]; dtype?: ElemType } | { const: number[]; dims: number[]; dtype?: 'int64' | 'bool' | 'float32' };
interface InferCase {
  op: string;
  inputs: JsonInput[];
  attrs?: Record<string, JsonAttr>;
  expect: Dim[][];
  dtypes?: ElemType[];
}

function toAttr(a: JsonAttr): Attr {
  if (a.int !== undefined) return attr.int(a.int);
  if (a.ints) return attr.ints(a.ints);
  if (a.float !== undefined) return attr.float(a.float);
  if (a.floats) return attr.floats(a.floats);
  return attr.string(a.string!);
}

const env: Record<string, number> = fixture.env;
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

function build(c: InferCase): { g: Graph; outs: string[] } {
  const g = new Graph('infer');
  const ins = c.inputs.map((x, i) => {
    if ('shape' in x) return g.input(`x${i}`, x.dtype ?? 'float32', x.shape);
    if (x.dtype === 'bool') return g.initializer(`k${i}`, 'bool', x.dims, Uint8Array.from(x.const));
    if (x.dtype === 'float32') return g.constant(Float32Array.from(x.const), x.dims, `k${i}`);
    return g.constant(BigInt64Array.from(x.const.map(BigInt)), x.dims, `k${i}`);
  });
  const attrs = Object.fromEntries(Object.entries(c.attrs ?? {}).map(([k, a]) => [k, toAttr(a)]));
  return { g, outs: g.addNode(c.op, ins, attrs, c.expect.length) };
}

describe('static type inference', () => {
  for (const c of fixture.cases as InferCase[]) {
    const label = `${c.op}(${c.inputs.map((x) => ('shape' in x ? `[${x.shape}]` : `const[${x.dims}]`)).join(', ')})`;
    it(`${label} -> ${c.expect.map((s) => `[${s}]`).join(', ')}`, async () => {
      const { g, outs } = build(c);
      outs.forEach((o, i) => {
        assert.deepEqual(g.typeOf(o)?.shape, c.expect[i], `output ${i} shape`);
        assert.equal(g.typeOf(o)?.dtype, c.dtypes?.[i] ?? 'float32', `output ${i} dtype`);
        g.output(o);
      });
      const session = await ort.InferenceSession.create(serializeModel(g), { logSeverityLevel: 3 });
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of g.inputs) {
        const dims = input.shape.map((d) => evalDim(d, env)!);
        feeds[input.name] = new ort.Tensor('float32', Float32Array.from({ length: size(dims) }, (_, k) => Math.sin(k + 1)), dims);
      }
      const result = await session.run(feeds);
      outs.forEach((o, i) => {
        const want = c.expect[i].map((d) => evalDim(d, env));
        const got = result[o].dims;
        assert.equal(got.length, want.length, `output ${i} rank from onnxruntime`);
        want.forEach((d, k) => d === undefined || assert.equal(got[k], d, `output ${i} extent ${k} from onnxruntime: [${got}]`));
      });
    });
  }

  it('has an inferer and consistent facts for every op in ops.json', () => {
    for (const op of knownOps()) {
      const info = opInfo(op)!;
      assert.ok(info.inputs[0] <= (info.inputs[1] ?? Infinity), op);
      if (Array.isArray(info.differentiable)) assert.ok(info.differentiable.every((i) => i < (info.inputs[1] ?? Infinity)), op);
    }
  });

  it('tracks shape values through Shape, Gather and Concat so Reshape keeps the batch symbol', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['N', 6]);
    const y = g.input('y', 'float32', ['N', 2, 3]);
    const batch = g.op('Gather', [g.op('Shape', [y]), g.ints([0])]);
    const target = g.op('Concat', [batch, g.ints([3, 2])], { axis: attr.int(0) });
    assert.deepEqual(g.shapeOf(g.op('Reshape', [x, target])), ['N', 3, 2]);
    assert.deepEqual(g.shapeOf(g.op('Expand', [g.floats([1]), g.op('Shape', [y])])), ['N', 2, 3]);
    assert.deepEqual(g.shapeOf(g.op('Range', [g.ints([0], true), g.op('Size', [y]), g.ints([1], true)])), ['6*N']);
  });

  it('does symbolic dimension arithmetic', () => {
    assert.equal(mulDim('N', 4), '4*N');
    assert.equal(mulDim(mulDim('N', 2), 'T'), '2*N*T');
    assert.equal(divDim('4*N', 4), 'N');
    assert.equal(divDim('2*N*T', 'T'), '2*N');
    assert.equal(divDim('4*N', 8), undefined);
    assert.equal(divDim('N', 'T'), undefined);
    assert.ok(sameDim('N*4', '4*N'));
    assert.equal(addDim('N', 'N'), '2*N');
    assert.equal(addDim('N', 3), '(N+3)');
    assert.equal(evalDim('3*N*T', { N: 2, T: 5 }), 30);
    assert.equal(evalDim('(N+3)', { N: 2 }), undefined);
  });

  it('reports shape mismatches as CompileErrors naming the op and the layer', () => {
    const g = new Graph('t');
    g.layer = 'dense1';
    const a = g.input('a', 'float32', ['N', 3]);
    const b = g.input('b', 'float32', [4, 2]);
    const isError = (op: string, text: RegExp) => (e: unknown) => e instanceof CompileError && e.op === op && e.layer === 'dense1' && text.test(e.message);
    assert.throws(() => g.op('MatMul', [a, b]), isError('MatMul', /\(layer 'dense1'\).*inner dimensions differ: \[N, 3\] x \[4, 2\]/));
    assert.throws(() => g.op('Add', [a, g.input('c', 'float32', [4])]), isError('Add', /cannot broadcast/));
    assert.throws(() => g.op('Reshape', [b, g.ints([3, 3])]), isError('Reshape', /cannot reshape \[4, 2\]/));
    assert.throws(() => g.op('Concat', [a, b], { axis: attr.int(0) }), isError('Concat', /differ outside axis 0/));
  });

  it('rejects nodes whose input or output count ops.json does not allow', () => {
    const g = new Graph('t');
    const a = g.input('a', 'float32', [2, 2]);
    assert.throws(() => g.op('MatMul', [a]), /MatMul node .* has 1 inputs and 1 outputs; ops.json allows \[2,2\]/);
    assert.throws(() => g.addNode('Relu', [a], {}, 2), /Relu node/);
  });
});
