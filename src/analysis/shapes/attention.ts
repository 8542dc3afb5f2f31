// MultiHeadAttention (self-attention on [T, D]) and the pre-norm TransformerEncoderBlock.
// Projection weights are [in, out] like Dense: Wq/Wk/Wv [D, heads*key_dim], Wo [heads*key_dim, D].
import type { ParamInfo } from '../types';
import { bias, fmtShape, inputFail, requireFloat, weight } from './rule';
import type { ShapeContext, ShapeFail, ShapeRule } from './rule';
import type { TensorType } from '../types';
import { normAffineParams } from './norm';

function attentionParams(width: number, inner: number): ParamInfo[] {
  return [
    weight('Wq', [width, inner], width, inner),
    bias('bq', inner),
    weight('Wk', [width, inner], width, inner),
    bias('bk', inner),
    weight('Wv', [width, inner], width, inner),
    bias('bv', inner),
    weight('Wo', [inner, width], inner, width),
    bias('bo', width),
  ];
}

/**
 * Q/K/V projections with biases, scores (QK^T), scaling and softmax (1 FLOP per score each),
 * the weighted sum of values, and the output projection with bias.
 */
function attentionFlops(steps: number, width: number, heads: number, keyDim: number): number {
  const inner = heads * keyDim;
  const projections = 3 * (2 * steps * width * inner + steps * inner);
  const scores = 2 * steps * steps * inner + 2 * steps * steps * heads;
  const context = 2 * steps * steps * inner;
  const out = 2 * steps * inner * width + steps * width;
  return projections + scores + context + out;
}

function sequenceInput(input: TensorType, ctx: ShapeContext): ShapeFail | undefined {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [T, D] sequence', 'feed it a sequence, e.g. from an Embedding or a recurrent layer with return_sequences: true.');
  }
  return undefined;
}

export const multiHeadAttentionRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = sequenceInput(input, ctx);
  if (bad) return bad;
  const [steps, width] = input.shape;
  const heads = attrs.heads as number;
  let keyDim = attrs.key_dim as number | undefined;
  if (keyDim === undefined) {
    if (width % heads !== 0) {
      return {
        error: `MultiHeadAttention heads: ${heads} must divide the width ${width} of \`${ctx.sources[0]}\` ${fmtShape(input.shape)} (each head gets width / heads); pick a divisor of ${width} or set key_dim.`,
        code: 'invalid-param',
        param: 'heads',
      };
    }
    keyDim = width / heads;
  }
  return {
    output: { shape: [steps, width], dtype: 'float32' },
    params: attentionParams(width, heads * keyDim),
    flops: attentionFlops(steps, width, heads, keyDim),
    resolved: { key_dim: keyDim },
  };
};

export const transformerEncoderBlockRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = sequenceInput(input, ctx);
  if (bad) return bad;
  const [steps, width] = input.shape;
  const heads = attrs.heads as number;
  if (width % heads !== 0) {
    return {
      error: `TransformerEncoderBlock heads: ${heads} must divide the width ${width} of \`${ctx.sources[0]}\` ${fmtShape(input.shape)}; pick a divisor of ${width}.`,
      code: 'invalid-param',
      param: 'heads',
    };
  }
  const ff = (attrs.ff_dim as number | undefined) ?? 4 * width;
  const params: ParamInfo[] = [
    ...normAffineParams(width, 'ln1_'),
    ...attentionParams(width, width),
    ...normAffineParams(width, 'ln2_'),
    weight('ff1_weight', [width, ff], width, ff),
    bias('ff1_bias', ff),
    weight('ff2_weight', [ff, width], ff, width),
    bias('ff2_bias', width),
  ];
  const elems = steps * width;
  // Two LayerNorms, attention, two residual adds, and FF: matmul + bias + GELU, matmul + bias.
  const flops =
    2 * 4 * elems +
    attentionFlops(steps, width, heads, width / heads) +
    2 * elems +
    (2 * steps * width * ff + 2 * steps * ff) +
    (2 * steps * ff * width + elems);
  return {
    output: { shape: [steps, width], dtype: 'float32' },
    params,
    flops,
    resolved: { ff_dim: ff, key_dim: width / heads },
  };
};
