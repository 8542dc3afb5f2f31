// dX = dY·Y.
import type { GradRule } from '../types';

export const exp: GradRule = ({ g, node, dy }) => [g.op('Mul', [dy[0]!, node.outputs[0]])];
