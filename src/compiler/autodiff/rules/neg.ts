// dX = -dY.
import type { GradRule } from '../types';

export const neg: GradRule = ({ g, dy }) => [g.op('Neg', [dy[0]!])];
