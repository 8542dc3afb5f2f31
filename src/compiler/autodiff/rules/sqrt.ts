// dX = dY / (2·Y).
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const sqrt: GradRule = ({ g, node, dy, dtype }) => [g.op('Div', [g.op('Mul', [dy[0]!, scalar(g, dtype, 0.5)]), node.outputs[0]])];
