// Small graph-building helpers shared by the gradient rules. They lean on the static shapes the
// graph tracks: shape operands are constants whenever the shape is known (a symbolic batch dim
// becomes Reshape's 0/-1 or Expand's 1 where possible), and a runtime Shape op is emitted only
// when nothing else works. Constants and Shape results are cached per graph and reused.
import { attr, type Dim, type ElemType, type Graph, type Node } from '../../onnx/graph';
import '../../onnx/ops';
import { getInt } from '../../onnx/ops/attrs';
import { allStatic, isStatic, productDims, sameDim, sameShape } from '../../onnx/ops/dims';
import { TO_ONNX } from '../../onnx/ops/infer-util';
import { reduceAxes } from '../../onnx/ops/infer-reduce';

const caches = new WeakMap<Graph, Map<string, string>>();

function cached(g: Graph, key: string, make: () => string): string {
  let c = caches.get(g);
  if (!c) caches.set(g, (c = new Map()));
  let v = c.get(key);
  if (v === undefined) c.set(key, (v = make()));
  return v;
}

export function typeOf(g: Graph, name: string): { dtype: ElemType; shape: Dim[] } {
  const t = g.typeOf(name);
  if (!t) throw new Error(`internal: autodiff needs the static type of '${name}'`);
  return t;
}

export function shapeOf(g: Graph, name: string): Dim[] {
  return typeOf(g, name).shape;
}

export function rankOf(g: Graph, name: string): number {
  return shapeOf(g, name).length;
}

/** A typed array of `dtype` holding `values`. */
export function typedData(dtype: ElemType, values: number[]): Float32Array | Float64Array | BigInt64Array {
  if (dtype === 'float64') return Float64Array.from(values);
  if (dtype === 'int64') return BigInt64Array.from(values.map((v) => BigInt(v)));
  return Float32Array.from(values);
}

/** A scalar constant of a float dtype, shared by every rule that needs it. */
export function scalar(g: Graph, dtype: ElemType, value: number): string {
  return cached(g, `scalar:${dtype}:${value}`, () => g.constant(typedData(dtype, [value]), [], dtype === 'float64' ? 'c64' : 'c'));
}

/** A float tensor constant of a given shape. */
export function floatTensor(g: Graph, dtype: ElemType, values: number[], dims: number[]): string {
  return g.constant(typedData(dtype, values), dims, 'c');
}

/** A 1-D int64 constant (axes, shapes, pads ...), shared. */
export function ints(g: Graph, values: number[]): string {
  return cached(g, `ints:${values.join(',')}`, () => g.ints(values));
}

/** The runtime shape of `ref`: a constant when static, else one Shape op per value. */
export function shapeTensor(g: Graph, ref: string): string {
  const shape = shapeOf(g, ref);
  if (allStatic(shape)) return ints(g, shape);
  return cached(g, `shape:${ref}`, () => g.op('Shape', [ref]));
}

/** `v` reshaped to the static shape `target` (of value `ref`); no-op when already so shaped. */
export function reshapeTo(g: Graph, v: string, target: Dim[], ref?: string): string {
  const have = shapeOf(g, v);
  if (sameShape(have, target)) return v;
  const spec: number[] = [];
  const open: number[] = [];
  target.forEach((d, i) => {
    if (isStatic(d)) spec.push(d);
    else if (i < have.length && sameDim(have[i], d)) spec.push(0);
    else {
      open.push(i);
      spec.push(-1);
    }
  });
  if (open.length <= 1) return g.op('Reshape', [v, ints(g, spec)]);
  if (!ref) throw new Error(`internal: cannot reshape '${v}' to [${target.join(', ')}] without a reference value`);
  return g.op('Reshape', [v, shapeTensor(g, ref)]);
}

/** `v` broadcast up to the shape of `ref` (Expand), keeping symbolic dims v already has. */
export function expandTo(g: Graph, v: string, ref: string): string {
  const have = shapeOf(g, v);
  const target = shapeOf(g, ref);
  if (sameShape(have, target)) return v;
  const off = target.length - have.length;
  const spec: number[] = [];
  for (let i = 0; i < target.length; i++) {
    const d = target[i];
    if (isStatic(d)) spec.push(d);
    else if (i >= off && sameDim(have[i - off], d)) spec.push(1);
    else return g.op('Expand', [v, shapeTensor(g, ref)]);
  }
  return g.op('Expand', [v, ints(g, spec)]);
}

/** A tensor of zeros shaped like `ref`, with `ref`'s dtype. */
export function zerosLike(g: Graph, ref: string): string {
  const dtype = typeOf(g, ref).dtype;
  return cached(g, `zeros:${ref}`, () =>
    g.op('ConstantOfShape', [shapeTensor(g, ref)], {
      value: attr.tensor({ name: 'value', dtype, dims: [1], data: typedData(dtype, [0]) }),
    }),
  );
}

export function reduceSum(g: Graph, v: string, axes: number[], keepdims: boolean): string {
  if (axes.length === 0) return v;
  return g.op('ReduceSum', [v, ints(g, axes)], { keepdims: attr.int(keepdims ? 1 : 0) });
}

export function unsqueeze(g: Graph, v: string, axes: number[]): string {
  return axes.length ? g.op('Unsqueeze', [v, ints(g, axes)]) : v;
}

export function squeeze(g: Graph, v: string, axes: number[]): string {
  return axes.length ? g.op('Squeeze', [v, ints(g, axes)]) : v;
}

export function transpose(g: Graph, v: string, perm: number[]): string {
  if (perm.every((p, i) => p === i)) return v;
  return g.op('Transpose', [v], { perm: attr.ints(perm) });
}

/** Swaps the last two axes. */
export function transposeLast2(g: Graph, v: string): string {
  const r = rankOf(g, v);
  const perm = Array.from({ length: r }, (_, i) => i);
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose(g, v, perm);
}

export function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/**
 * Sums a broadcast-shaped gradient back to `target`: ReduceSum over the leading axes the
 * input lacked and over the axes where it had extent 1 (then drops the leading ones).
 */
export function unbroadcast(g: Graph, grad: string, target: Dim[]): string {
  const have = shapeOf(g, grad);
  if (sameShape(have, target)) return grad;
  const lead = have.length - target.length;
  if (lead < 0) throw new Error(`internal: gradient [${have.join(', ')}] has lower rank than its input [${target.join(', ')}]`);
  const ones: number[] = [];
  target.forEach((d, i) => {
    const h = have[lead + i];
    if (d === 1 && h !== 1) ones.push(lead + i);
    else if (isStatic(d) && isStatic(h) && d !== h) {
      throw new Error(`internal: gradient [${have.join(', ')}] does not broadcast from its input [${target.join(', ')}]`);
    }
  });
  const leading = Array.from({ length: lead }, (_, i) => i);
  if (ones.length === 0) return reduceSum(g, grad, leading, false);
  return squeeze(g, reduceSum(g, grad, [...leading, ...ones], true), leading);
}

/**
 * For a Reduce* node: its reduced axes (over input `x`) and `v` (shaped like the node's
 * output) with those axes restored as size 1, so it broadcasts against `x`.
 */
export function keptDims(g: Graph, node: Node, v: string): { axes: number[]; kept: string } {
  const x = node.inputs[0];
  const axes = reduceAxes(node, g, rankOf(g, x));
  if (!axes) throw new Error(`internal: ${node.op} '${node.name}' has non-constant axes`);
  const keep = getInt(node, 'keepdims') !== 0;
  return { axes, kept: keep ? v : unsqueeze(g, v, axes) };
}

/** Σ over `axes` of the elements of `x` as a static count, or a runtime scalar of `dtype`. */
export function countOver(g: Graph, x: string, axes: number[], dtype: ElemType): number | string {
  const n = productDims(axes.map((a) => shapeOf(g, x)[a]));
  if (isStatic(n)) return n;
  const dims = g.op('Gather', [shapeTensor(g, x), ints(g, axes)]);
  const total = g.op('ReduceProd', [dims], { keepdims: attr.int(0) });
  return g.op('Cast', [total], { to: attr.int(TO_ONNX[dtype]) });
}

/** `v` scaled by 1/count (count static or a runtime scalar). */
export function divideBy(g: Graph, v: string, count: number | string, dtype: ElemType): string {
  if (typeof count === 'number') return count === 1 ? v : g.op('Mul', [v, scalar(g, dtype, 1 / count)]);
  return g.op('Div', [v, count]);
}
