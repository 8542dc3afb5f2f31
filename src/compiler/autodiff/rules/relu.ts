// dX = dY where Y > 0, else 0.
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const relu: GradRule = ({ g, node, dy, dtype }) => {
  const zero = scalar(g, dtype, 0);
  return [g.op('Where', [g.op('Greater', [node.outputs[0], zero]), dy[0]!, zero])];
};
