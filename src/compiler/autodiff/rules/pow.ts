// Y = X^E: dX = dY·E·X^(E-1), dE = dY·Y·ln(X); a constant E folds into constants.
import { knownScalar } from '../../../onnx/ops/values';
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const pow: GradRule = ({ g, node, dy, needs, dtype }) => {
  const [x, e] = node.inputs;
  const y = node.outputs[0];
  const d = dy[0]!;
  let dx: string | undefined;
  if (needs[0]) {
    const k = knownScalar(g, e);
    if (k === 1) dx = d;
    else if (k === 2) dx = g.op('Mul', [d, g.op('Mul', [x, scalar(g, dtype, 2)])]);
    else if (k !== undefined) dx = g.op('Mul', [d, g.op('Mul', [g.op('Pow', [x, scalar(g, dtype, k - 1)]), scalar(g, dtype, k)])]);
    else dx = g.op('Mul', [d, g.op('Mul', [e, g.op('Pow', [x, g.op('Sub', [e, scalar(g, dtype, 1)])])])]);
  }
  const de = needs[1] ? g.op('Mul', [d, g.op('Mul', [y, g.op('Log', [x])])]) : undefined;
  return [dx, de];
};
