// dA = dY, dB = -dY.
import type { GradRule } from '../types';

export const sub: GradRule = ({ g, dy, needs }) => [dy[0], needs[1] ? g.op('Neg', [dy[0]!]) : undefined];
