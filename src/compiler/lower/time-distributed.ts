// TimeDistributedDense: the same Dense at every step of a [T, D] sequence. MatMul broadcasts
// the [D, units] weight over batch and time, so it is one MatMul, bias and activation.
import type { Lowering } from './context';
import { outputShape, stringAttr } from './attrs';
import { applyActivation } from './activation';

export const timeDistributedLowerings: Record<string, Lowering> = {
  TimeDistributedDense: (ctx) => {
    const { g, layer } = ctx;
    let y = g.op('MatMul', [ctx.inputs[0], ctx.param('weight')]);
    if (layer.params.some((p) => p.name === 'bias')) y = g.op('Add', [y, ctx.param('bias')]);
    return applyActivation(ctx, y, stringAttr(layer, 'activation', 'linear'), outputShape(layer).length);
  },
};
