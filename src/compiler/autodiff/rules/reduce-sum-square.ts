// dX = 2·X·dY, dY broadcast over the reduced axes.
import { keptDims, scalar } from '../emit';
import type { GradRule } from '../types';

export const reduceSumSquare: GradRule = ({ g, node, dy, dtype }) => [
  g.op('Mul', [node.inputs[0], g.op('Mul', [keptDims(g, node, dy[0]!).kept, scalar(g, dtype, 2)])]),
];
