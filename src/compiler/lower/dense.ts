// Dense over the last axis: MatMul with the [in, units] weight (any input rank), bias, activation.
import type { Lowering } from './context';
import { outputShape, stringAttr } from './attrs';
import { applyActivation } from './activation';

export const denseLowerings: Record<string, Lowering> = {
  Dense: (ctx) => {
    const { g, layer } = ctx;
    let y = g.op('MatMul', [ctx.inputs[0], ctx.param('weight')]);
    if (layer.params.some((p) => p.name === 'bias')) y = g.op('Add', [y, ctx.param('bias')]);
    return applyActivation(ctx, y, stringAttr(layer, 'activation', 'linear'), outputShape(layer).length);
  },
};
