// dX = dY at the maximal elements (split evenly between ties), 0 elsewhere.
import { extremumGrad } from '../extremum';
import type { GradRule } from '../types';

export const reduceMax: GradRule = (ctx) => [extremumGrad(ctx)];
