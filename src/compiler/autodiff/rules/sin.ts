// dX = dY·cos(X).
import type { GradRule } from '../types';

export const sin: GradRule = ({ g, node, dy }) => [g.op('Mul', [dy[0]!, g.op('Cos', [node.inputs[0]])])];
