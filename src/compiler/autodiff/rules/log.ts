// dX = dY / X.
import type { GradRule } from '../types';

export const log: GradRule = ({ g, node, dy }) => [g.op('Div', [dy[0]!, node.inputs[0]])];
