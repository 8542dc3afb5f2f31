// dX = dY·sign(X) (0 at X = 0).
import type { GradRule } from '../types';

export const abs: GradRule = ({ g, node, dy }) => [g.op('Mul', [dy[0]!, g.op('Sign', [node.inputs[0]])])];
