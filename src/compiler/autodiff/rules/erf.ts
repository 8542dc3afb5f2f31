// dX = dY·(2/√π)·exp(-X²).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const erf: GradRule = ({ g, node, dy, dtype }) => {
  const x = node.inputs[0];
  const bell = g.op('Exp', [g.op('Neg', [g.op('Mul', [x, x])])]);
  return [g.op('Mul', [dy[0]!, g.op('Mul', [bell, scalar(g, dtype, 2 / Math.sqrt(Math.PI))])])];
};
