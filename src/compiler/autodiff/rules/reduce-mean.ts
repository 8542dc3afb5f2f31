// dX = dY/n broadcast back over the reduced axes (n = number of elements averaged).
import { countOver, divideBy, expandTo, keptDims } from '../emit';
import type { GradRule } from '../types';

export const reduceMean: GradRule = ({ g, node, dy, dtype }) => {
  const x = node.inputs[0];
  const { axes, kept } = keptDims(g, node, dy[0]!);
  return [expandTo(g, divideBy(g, kept, countOver(g, x, axes, dtype), dtype), x)];
};
