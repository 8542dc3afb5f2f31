// dX = dY at each channel's maximal elements (split evenly between ties), 0 elsewhere.
import { extremumGrad } from '../extremum';
import { rankOf } from '../emit';
import type { GradRule } from '../types';

export const globalMaxPool: GradRule = (ctx) => {
  const r = rankOf(ctx.g, ctx.node.inputs[0]);
  return [extremumGrad(ctx, Array.from({ length: r - 2 }, (_, i) => i + 2))];
};
