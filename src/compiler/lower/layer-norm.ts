// LayerNorm over the last axis, from primitives (ReduceMean, Sub, Mul, Sqrt, Div) so the
// autodiff differentiates through the per-position statistics. Also used inside the
// TransformerEncoderBlock.
import { attr } from '../../onnx/graph';
import type { LowerContext, Lowering } from './context';
import { floatAttr, outputShape } from './attrs';

/** (x - mean) / sqrt(var + eps) * gamma + beta over the last axis of the batched value `x`. */
export function layerNorm(ctx: LowerContext, x: string, rank: number, gamma: string, beta: string, eps: number): string {
  const { g } = ctx;
  const axes = attr.ints([rank - 1]);
  const mean = g.op('ReduceMean', [x], { axes, keepdims: attr.int(1) });
  const centred = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes, keepdims: attr.int(1) });
  const normalised = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, ctx.scalar(eps)])])]);
  return g.op('Add', [g.op('Mul', [normalised, gamma]), beta]);
}

export const layerNormLowerings: Record<string, Lowering> = {
  LayerNorm: (ctx) => ({
    output: layerNorm(ctx, ctx.inputs[0], outputShape(ctx.layer).length + 1, ctx.param('gamma'), ctx.param('beta'), floatAttr(ctx.layer, 'epsilon', 1e-5)),
  }),
};
