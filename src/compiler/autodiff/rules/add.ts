// dA = dY, dB = dY (the driver sums away broadcast axes).
import type { GradRule } from '../types';

export const add: GradRule = ({ dy }) => [dy[0], dy[0]];
