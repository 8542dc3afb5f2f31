// dX = the same triangle of dY (Trilu is a mask).
import type { GradRule } from '../types';

export const trilu: GradRule = ({ g, node, dy }) => [g.op('Trilu', [dy[0]!, ...node.inputs.slice(1)], node.attrs)];
