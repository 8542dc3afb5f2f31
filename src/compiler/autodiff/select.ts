// Shared by elementwise Max/Min: each output element came from one input (the first one equal
// to it, for ties), which receives dY there.
import { scalar } from './emit';
import type { GradContext } from './types';

export function selectedGrads({ g, node, dy, needs, dtype }: GradContext): (string | undefined)[] {
  const y = node.outputs[0];
  const zero = scalar(g, dtype, 0);
  const last = Math.max(...needs.flatMap((n, i) => (n ? [i] : [])));
  const out: (string | undefined)[] = [];
  let taken: string | undefined;
  for (let i = 0; i <= last && i < node.inputs.length; i++) {
    const eq = g.op('Equal', [node.inputs[i], y]);
    const mine = taken ? g.op('And', [eq, g.op('Not', [taken])]) : eq;
    out.push(needs[i] ? g.op('Where', [mine, dy[0]!, zero]) : undefined);
    if (i < last) taken = taken ? g.op('Or', [taken, eq]) : eq;
  }
  return out;
}
