// Small helpers for building graph arithmetic in the working float type.
import type { Graph } from '../../onnx/graph';
import type { FloatType } from './context';

/** A scalar constant of the given float type. */
export function scalarConst(g: Graph, dtype: FloatType, v: number): string {
  return g.constant(dtype === 'float64' ? Float64Array.of(v) : Float32Array.of(v), [], 'c');
}
