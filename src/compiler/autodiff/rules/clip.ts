// dX = dY where min ≤ X ≤ max, else 0 (the bounds get no gradient).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const clip: GradRule = ({ g, node, dy, dtype }) => {
  const [x, lo, hi] = node.inputs;
  const tests: string[] = [];
  if (lo) tests.push(g.op('GreaterOrEqual', [x, lo]));
  if (hi) tests.push(g.op('LessOrEqual', [x, hi]));
  if (tests.length === 0) return [dy[0]];
  const inside = tests.length === 1 ? tests[0] : g.op('And', tests);
  return [g.op('Where', [inside, dy[0]!, scalar(g, dtype, 0)])];
};
