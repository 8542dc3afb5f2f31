// dX = dY - exp(Y)·Σ_axis(dY).
import { getInt, normAxis } from '../../../onnx/ops/attrs';
import { rankOf, reduceSum } from '../emit';
import type { GradRule } from '../types';

export const logSoftmax: GradRule = ({ g, node, dy }) => {
  const y = node.outputs[0];
  const axis = normAxis(getInt(node, 'axis')!, rankOf(g, y));
  const total = reduceSum(g, dy[0]!, [axis], true);
  return [g.op('Sub', [dy[0]!, g.op('Mul', [g.op('Exp', [y]), total])])];
};
