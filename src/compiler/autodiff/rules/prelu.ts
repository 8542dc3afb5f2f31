// Y = X if X > 0 else S·X: dX = dY·(X > 0 ? 1 : S), dS = dY·(X > 0 ? 0 : X).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const prelu: GradRule = ({ g, node, dy, needs, dtype }) => {
  const [x, s] = node.inputs;
  const d = dy[0]!;
  const pos = g.op('Greater', [x, scalar(g, dtype, 0)]);
  return [
    needs[0] ? g.op('Where', [pos, d, g.op('Mul', [d, s])]) : undefined,
    needs[1] ? g.op('Where', [pos, scalar(g, dtype, 0), g.op('Mul', [d, x])]) : undefined,
  ];
};
