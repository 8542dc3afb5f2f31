// dA = dY·B, dB = dY·A.
import type { GradRule } from '../types';

export const mul: GradRule = ({ g, node, dy, needs }) => {
  const [a, b] = node.inputs;
  const d = dy[0]!;
  return [needs[0] ? g.op('Mul', [d, b]) : undefined, needs[1] ? g.op('Mul', [d, a]) : undefined];
};
