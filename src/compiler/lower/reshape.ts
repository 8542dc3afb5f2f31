// Flatten and Reshape: one Reshape whose target keeps the batch ([-1, ...per-sample shape]).
import type { Lowering } from './context';
import { outputShape } from './attrs';

const reshapeTo: Lowering = (ctx) => ({ output: ctx.g.op('Reshape', [ctx.inputs[0], ctx.g.ints([-1, ...outputShape(ctx.layer)])]) });

export const reshapeLowerings: Record<string, Lowering> = {
  Flatten: reshapeTo,
  Reshape: reshapeTo,
};
