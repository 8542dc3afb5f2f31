// Cheap per-tensor reductions for the train step's statistics and finite checks.
import { attr } from '../onnx/graph';
import type { Graph } from '../onnx/graph';
import type { FloatType } from './lower/context';
import { scalarConst } from './lower/scalars';
import { onnxType } from './lower/dtype';

/** Sum of squares of all elements, as a scalar. */
export function sumSquares(g: Graph, v: string): string {
  return g.op('ReduceSumSquare', [v], { keepdims: attr.int(0) });
}

/** Scalars packed into one [k] vector (k >= 1). */
export function pack(g: Graph, scalars: string[]): string {
  const one = g.ints([1]);
  return g.op('Concat', scalars.map((s) => g.op('Reshape', [s, one])), { axis: attr.int(0) });
}

/**
 * A scalar that is NaN exactly when `v` holds a NaN or an infinity (sum of v * 0), and 0
 * otherwise; sums of such scalars keep that property, so checks combine with Add.
 */
export function poison(g: Graph, v: string, dtype: FloatType): string {
  return g.op('ReduceSum', [g.op('Mul', [v, scalarConst(g, dtype, 0)])], { keepdims: attr.int(0) });
}

/** 1 where the element is NaN, else 0, in the float type. */
export function nanFlags(g: Graph, v: string, dtype: FloatType): string {
  return g.op('Cast', [g.op('IsNaN', [v])], { to: attr.int(onnxType(dtype)) });
}

/** a / b element-wise, 0 where b is 0. */
export function safeRatio(g: Graph, a: string, b: string, dtype: FloatType): string {
  const zero = scalarConst(g, dtype, 0);
  const positive = g.op('Greater', [b, zero]);
  const denom = g.op('Where', [positive, b, scalarConst(g, dtype, 1)]);
  return g.op('Where', [positive, g.op('Div', [a, denom]), zero]);
}
