// dX = dY·Y·(1 - Y).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const sigmoid: GradRule = ({ g, node, dy, dtype }) => {
  const y = node.outputs[0];
  const slope = g.op('Mul', [y, g.op('Sub', [scalar(g, dtype, 1), y])]);
  return [g.op('Mul', [dy[0]!, slope])];
};
