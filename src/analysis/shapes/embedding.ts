// Embedding (token ids to vectors) and PositionalEmbedding (adds a position code to [T, D]).
import { fmtShape, inputFail, numel, requireFloat } from './rule';
import type { ShapeRule } from './rule';

export const embeddingRule: ShapeRule = (attrs, [input], ctx) => {
  if (input.dtype !== 'int64') {
    return {
      error: `Embedding looks up int64 token ids but its input \`${ctx.sources[0]}\` gives float32 ${fmtShape(input.shape)}; declare the Input with dtype: int64.`,
      code: 'dtype-mismatch',
      input: 0,
    };
  }
  const vocab = attrs.vocab_size as number;
  const dim = attrs.dim as number;
  return {
    output: { shape: [...input.shape, dim], dtype: 'float32' },
    params: [{ name: 'weight', shape: [vocab, dim], trainable: true, init: 'normal_0.02', fanIn: vocab, fanOut: dim }],
    flops: 0,
  };
};

export const positionalEmbeddingRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [T, D] sequence', 'put it after an Embedding (which turns [T] ids into [T, D]).');
  }
  const [steps, width] = input.shape;
  const maxLength = attrs.max_length as number;
  if (steps > maxLength) {
    return {
      error: `PositionalEmbedding max_length: ${maxLength} is shorter than the ${steps} steps of \`${ctx.sources[0]}\` ${fmtShape(input.shape)}; set max_length to at least ${steps}.`,
      code: 'invalid-param',
      param: 'max_length',
    };
  }
  const learned = attrs.mode !== 'sinusoidal';
  return {
    output: { shape: [steps, width], dtype: 'float32' },
    params: learned
      ? [{ name: 'position_table', shape: [maxLength, width], trainable: true, init: 'normal_0.02', fanIn: maxLength, fanOut: width }]
      : [],
    flops: numel(input.shape),
  };
};
