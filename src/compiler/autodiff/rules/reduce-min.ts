// dX = dY at the minimal elements (split evenly between ties), 0 elsewhere.
import { extremumGrad } from '../extremum';
import type { GradRule } from '../types';

export const reduceMin: GradRule = (ctx) => [extremumGrad(ctx)];
