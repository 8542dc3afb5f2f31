// dX = -dY·sin(X).
import type { GradRule } from '../types';

export const cos: GradRule = ({ g, node, dy }) => [g.op('Neg', [g.op('Mul', [dy[0]!, g.op('Sin', [node.inputs[0]])])])];
