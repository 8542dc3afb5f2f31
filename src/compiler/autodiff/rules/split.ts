// dX = the output gradients concatenated along the split axis (zeros for unused outputs).
import { attr } from '../../../onnx/graph';
import { getInt, normAxis } from '../../../onnx/ops/attrs';
import { rankOf, zerosLike } from '../emit';
import type { GradRule } from '../types';

export const split: GradRule = ({ g, node, dy }) => {
  const axis = normAxis(getInt(node, 'axis')!, rankOf(g, node.inputs[0]));
  const parts = node.outputs.map((y, i) => dy[i] ?? zerosLike(g, y));
  return [parts.length === 1 ? parts[0] : g.op('Concat', parts, { axis: attr.int(axis) })];
};
