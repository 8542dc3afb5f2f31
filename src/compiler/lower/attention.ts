// MultiHeadAttention (self-attention on [T, D]) and the pre-norm TransformerEncoderBlock,
// from MatMul / Reshape / Transpose / Softmax so the autodiff covers them. Scores are
// QK^T / sqrt(key_dim); a causal mask adds a large negative constant above the diagonal.
import { attr } from '../../onnx/graph';
import type { LowerContext, Lowering } from './context';
import { boolAttr, floatAttr, intAttr } from './attrs';
import { dropoutValue } from './dropout-value';
import { layerNorm } from './layer-norm';
import { applyActivation } from './activation';

/** Added to masked scores: exp underflows to exactly 0 after the softmax's max shift. */
const MASKED = -1e9;

/** [T, T] additive mask: 0 where key position <= query position, MASKED above the diagonal. */
export function causalMask(steps: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const m = dtype === 'float64' ? new Float64Array(steps * steps) : new Float32Array(steps * steps);
  for (let q = 0; q < steps; q++) for (let k = q + 1; k < steps; k++) m[q * steps + k] = MASKED;
  return m;
}

interface AttentionSpec {
  heads: number;
  keyDim: number;
  causal: boolean;
  dropout: number;
  /** The value of a projection parameter by short name (Wq, bq ... Wo, bo). */
  param: (name: string) => string;
}

/** Self-attention of the batched [N, T, D] value `x`; returns [N, T, D]. */
export function selfAttention(ctx: LowerContext, x: string, steps: number, s: AttentionSpec): string {
  const { g } = ctx;
  const inner = s.heads * s.keyDim;
  const project = (w: string, b: string) => g.op('Add', [g.op('MatMul', [x, s.param(w)]), s.param(b)]);
  // [N, T, H*k] -> [N, H, T, k]
  const split = (v: string) => g.op('Transpose', [g.op('Reshape', [v, g.ints([-1, steps, s.heads, s.keyDim])])], { perm: attr.ints([0, 2, 1, 3]) });
  const q = split(project('Wq', 'bq'));
  const kT = g.op('Transpose', [g.op('Reshape', [project('Wk', 'bk'), g.ints([-1, steps, s.heads, s.keyDim])])], { perm: attr.ints([0, 2, 3, 1]) });
  const v = split(project('Wv', 'bv'));
  let scores = g.op('Mul', [g.op('MatMul', [q, kT]), ctx.scalar(1 / Math.sqrt(s.keyDim))]);
  if (s.causal) scores = g.op('Add', [scores, g.constant(causalMask(steps, ctx.dtype), [steps, steps], 'causal_mask')]);
  const weights = dropoutValue(ctx, g.op('Softmax', [scores], { axis: attr.int(3) }), s.dropout, 0);
  const context = g.op('Transpose', [g.op('MatMul', [weights, v])], { perm: attr.ints([0, 2, 1, 3]) });
  const merged = g.op('Reshape', [context, g.ints([-1, steps, inner])]);
  return g.op('Add', [g.op('MatMul', [merged, s.param('Wo')]), s.param('bo')]);
}

export const attentionLowerings: Record<string, Lowering> = {
  MultiHeadAttention: (ctx) => {
    const { layer } = ctx;
    const [steps, width] = layer.inputs[0].shape;
    const heads = intAttr(layer, 'heads');
    const keyDim = intAttr(layer, 'key_dim', width / heads);
    const spec = { heads, keyDim, causal: boolAttr(layer, 'causal', false), dropout: floatAttr(layer, 'dropout', 0), param: ctx.param };
    return { output: selfAttention(ctx, ctx.inputs[0], steps, spec) };
  },

  // x + Drop(MHA(LN1(x))), then h + Drop(FF2(GELU(FF1(LN2(h))))).
  TransformerEncoderBlock: (ctx) => {
    const { g, layer } = ctx;
    const [steps, width] = layer.inputs[0].shape;
    const heads = intAttr(layer, 'heads');
    const rate = floatAttr(layer, 'dropout', 0);
    const eps = 1e-5;
    const x = ctx.inputs[0];
    const spec = { heads, keyDim: width / heads, causal: boolAttr(layer, 'causal', false), dropout: rate, param: ctx.param };
    const attended = selfAttention(ctx, layerNorm(ctx, x, 3, ctx.param('ln1_gamma'), ctx.param('ln1_beta'), eps), steps, spec);
    const h = g.op('Add', [x, dropoutValue(ctx, attended, rate, 1)]);
    const n2 = layerNorm(ctx, h, 3, ctx.param('ln2_gamma'), ctx.param('ln2_beta'), eps);
    const ff1 = g.op('Add', [g.op('MatMul', [n2, ctx.param('ff1_weight')]), ctx.param('ff1_bias')]);
    const act = applyActivation(ctx, ff1, 'gelu', 2).output;
    const ff2 = g.op('Add', [g.op('MatMul', [act, ctx.param('ff2_weight')]), ctx.param('ff2_bias')]);
    return { output: g.op('Add', [h, dropoutValue(ctx, ff2, rate, 2)]) };
  },
};
