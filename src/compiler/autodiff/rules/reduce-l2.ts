// Y = √Σx²: dX = dY·X/Y (0 where Y = 0), dY and Y broadcast over the reduced axes.
import { keptDims, scalar } from '../emit';
import type { GradRule } from '../types';

export const reduceL2: GradRule = ({ g, node, dy, dtype }) => {
  const y = keptDims(g, node, node.outputs[0]).kept;
  // Y = 0 only when every x is 0, so any positive floor gives the subgradient 0 there.
  const safe = g.op('Max', [y, scalar(g, dtype, 1e-30)]);
  return [g.op('Mul', [node.inputs[0], g.op('Div', [keptDims(g, node, dy[0]!).kept, safe])])];
};
