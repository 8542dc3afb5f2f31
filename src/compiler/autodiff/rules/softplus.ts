// Y = log(1 + eˣ): dX = dY·sigmoid(X).
import type { GradRule } from '../types';

export const softplus: GradRule = ({ g, node, dy }) => [g.op('Mul', [dy[0]!, g.op('Sigmoid', [node.inputs[0]])])];
