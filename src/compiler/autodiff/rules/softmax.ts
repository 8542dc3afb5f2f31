// dX = Y·(dY - Σ_axis(dY·Y)).
import { getInt, normAxis } from '../../../onnx/ops/attrs';
import { rankOf, reduceSum } from '../emit';
import type { GradRule } from '../types';

export const softmax: GradRule = ({ g, node, dy }) => {
  const y = node.outputs[0];
  const axis = normAxis(getInt(node, 'axis')!, rankOf(g, y));
  const dot = reduceSum(g, g.op('Mul', [dy[0]!, y]), [axis], true);
  return [g.op('Mul', [y, g.op('Sub', [dy[0]!, dot])])];
};
