// dA = dY where C, else 0; dB = dY where not C, else 0.
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const where: GradRule = ({ g, node, dy, needs, dtype }) => {
  const c = node.inputs[0];
  const zero = scalar(g, dtype, 0);
  return [undefined, needs[1] ? g.op('Where', [c, dy[0]!, zero]) : undefined, needs[2] ? g.op('Where', [c, zero, dy[0]!]) : undefined];
};
