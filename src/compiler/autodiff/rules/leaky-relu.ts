// dX = dY where X > 0, else α·dY.
import { getFloat } from '../../../onnx/ops/attrs';
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const leakyRelu: GradRule = ({ g, node, dy, dtype }) => {
  const slope = g.op('Where', [g.op('Greater', [node.inputs[0], scalar(g, dtype, 0)]), scalar(g, dtype, 1), scalar(g, dtype, getFloat(node, 'alpha')!)]);
  return [g.op('Mul', [dy[0]!, slope])];
};
