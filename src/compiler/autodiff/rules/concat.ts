// dXᵢ = the slice of dY along the axis where Xᵢ was placed (one Split).
import { attr } from '../../../onnx/graph';
import { getInt, normAxis } from '../../../onnx/ops/attrs';
import { isStatic } from '../../../onnx/ops/dims';
import { ints, rankOf, shapeOf, shapeTensor } from '../emit';
import type { GradRule } from '../types';

export const concat: GradRule = ({ g, node, dy }) => {
  const axis = normAxis(getInt(node, 'axis')!, rankOf(g, node.outputs[0]));
  if (node.inputs.length === 1) return [dy[0]];
  const extents = node.inputs.map((x) => shapeOf(g, x)[axis]);
  const sizes = extents.every(isStatic)
    ? ints(g, extents)
    : g.op('Concat', node.inputs.map((x, i) => (isStatic(extents[i]) ? ints(g, [extents[i] as number]) : g.op('Gather', [shapeTensor(g, x), ints(g, [axis])]))), { axis: attr.int(0) });
  return g.addNode('Split', [dy[0]!, sizes], { axis: attr.int(axis) }, node.inputs.length);
};
