// Y = 1/X: dX = -dY·Y².
import type { GradRule } from '../types';

export const reciprocal: GradRule = ({ g, node, dy }) => {
  const y = node.outputs[0];
  return [g.op('Neg', [g.op('Mul', [dy[0]!, g.op('Mul', [y, y])])])];
};
