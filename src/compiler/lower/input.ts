// Input layers are graph inputs; lowering just hands the input value on.
import type { Lowering } from './context';

export const inputLowerings: Record<string, Lowering> = {
  Input: (ctx) => ({ output: ctx.feature(ctx.layer.spec.id) }),
};
