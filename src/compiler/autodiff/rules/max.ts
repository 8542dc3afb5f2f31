// dXᵢ = dY where Xᵢ is the first input equal to the maximum, else 0.
import { selectedGrads } from '../select';
import type { GradRule } from '../types';

export const max: GradRule = (ctx) => selectedGrads(ctx);
