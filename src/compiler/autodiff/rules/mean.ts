// dXᵢ = dY / n.
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const mean: GradRule = ({ g, node, dy, dtype }) => {
  const share = g.op('Mul', [dy[0]!, scalar(g, dtype, 1 / node.inputs.length)]);
  return node.inputs.map(() => share);
};
