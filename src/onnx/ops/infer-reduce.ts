// Type inference for reductions. Opset 17: ReduceSum takes its axes as an optional input, the
// other Reduce* ops as an attribute; ArgMax/ArgMin reduce one axis to int64 indices.
import type { Dim, Graph, Node, TypeInferer } from '../graph';
import { getInt, getInts, normAxis } from './attrs';
import { inType, shapeError } from './infer-util';
import { knownNumbers } from './values';

/**
 * The reduced axes (normalised, sorted) of a Reduce* node, [] for a no-op reduction, or
 * undefined when the axes input is not a constant.
 */
export function reduceAxes(node: Node, g: Graph, rank: number): number[] | undefined {
  let axes: number[] | undefined;
  if (node.op === 'ReduceSum') {
    if (node.inputs[1]) {
      axes = knownNumbers(g, node.inputs[1]);
      if (!axes) return undefined;
    }
    if ((!axes || axes.length === 0) && getInt(node, 'noop_with_empty_axes')) return [];
  } else {
    axes = getInts(node, 'axes');
  }
  if (!axes || axes.length === 0) return Array.from({ length: rank }, (_, i) => i);
  const norm = [...new Set(axes.map((a) => normAxis(a, rank)))].sort((x, y) => x - y);
  if (norm.some((a) => a < 0 || a >= rank)) throw shapeError(node, `axes ${JSON.stringify(axes)} out of range for rank ${rank}`);
  return norm;
}

function reducedShape(shape: Dim[], axes: number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

const reduce: TypeInferer = (node, g) => {
  const t = inType(node, g, 0);
  if (!t) return [];
  const axes = reduceAxes(node, g, t.shape.length);
  if (!axes) return [];
  return [{ dtype: t.dtype, shape: reducedShape(t.shape, axes, getInt(node, 'keepdims') !== 0) }];
};

export const reduceInferers: Record<string, TypeInferer> = {
  reduceAxesInput: reduce,
  reduceAxesAttr: reduce,
  argReduce: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const axis = normAxis(getInt(node, 'axis')!, t.shape.length);
    return [{ dtype: 'int64', shape: reducedShape(t.shape, [axis], getInt(node, 'keepdims') !== 0) }];
  },
};
