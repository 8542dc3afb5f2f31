// dXᵢ = dY.
import type { GradRule } from '../types';

export const sum: GradRule = ({ node, dy }) => node.inputs.map(() => dy[0]);
