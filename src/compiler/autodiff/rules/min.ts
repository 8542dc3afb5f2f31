// dXᵢ = dY where Xᵢ is the first input equal to the minimum, else 0.
import { selectedGrads } from '../select';
import type { GradRule } from '../types';

export const min: GradRule = (ctx) => selectedGrads(ctx);
