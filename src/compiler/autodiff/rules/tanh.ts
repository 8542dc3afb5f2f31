// dX = dY·(1 - Y²).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const tanh: GradRule = ({ g, node, dy, dtype }) => {
  const y = node.outputs[0];
  return [g.op('Mul', [dy[0]!, g.op('Sub', [scalar(g, dtype, 1), g.op('Mul', [y, y])])])];
};
