// Y = A/B: dA = dY/B, dB = -dY·A/B² = -dA·Y.
import type { GradRule } from '../types';

export const div: GradRule = ({ g, node, dy, needs }) => {
  const b = node.inputs[1];
  const da = g.op('Div', [dy[0]!, b]);
  return [needs[0] ? da : undefined, needs[1] ? g.op('Neg', [g.op('Mul', [da, node.outputs[0]])]) : undefined];
};
