// Layers that keep the shape and act on each value: activations and Dropout.
import { fmtShape, numel, requireFloat } from './rule';
import type { ShapeRule } from './rule';

/** Activation layers: 1 FLOP per element (see rule.ts). */
export const activationRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  return { output: { shape: [...input.shape], dtype: 'float32' }, params: [], flops: numel(input.shape) };
};

export const softmaxRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  const rank = input.shape.length;
  const axis = attrs.axis as number;
  if (axis < -rank || axis >= rank) {
    return {
      error: `Softmax axis ${axis} is outside the ${rank} axes of \`${ctx.sources[0]}\` ${fmtShape(input.shape)}; use an axis from ${-rank} to ${rank - 1}.`,
      code: 'invalid-param',
      param: 'axis',
    };
  }
  return {
    output: { shape: [...input.shape], dtype: 'float32' },
    params: [],
    flops: numel(input.shape),
    resolved: { axis: axis < 0 ? axis + rank : axis },
  };
};

/** Dropout is the identity at inference: no FLOPs counted. */
export const dropoutRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  return { output: { shape: [...input.shape], dtype: 'float32' }, params: [], flops: 0 };
};
