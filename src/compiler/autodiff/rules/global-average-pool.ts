// dX = dY / (number of spatial positions), broadcast over the spatial axes.
import { countOver, divideBy, expandTo, rankOf } from '../emit';
import type { GradRule } from '../types';

export const globalAveragePool: GradRule = ({ g, node, dy, dtype }) => {
  const x = node.inputs[0];
  const spatial = Array.from({ length: rankOf(g, x) - 2 }, (_, i) => i + 2);
  return [expandTo(g, divideBy(g, dy[0]!, countOver(g, x, spatial, dtype), dtype), x)];
};
