// dX = dY.
import type { GradRule } from '../types';

export const identity: GradRule = ({ dy }) => [dy[0]];
