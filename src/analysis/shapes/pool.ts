// Windowed pooling (MaxPool2D, AvgPool2D) and the reductions to one vector per sample
// (GlobalAvgPool2D, GlobalAvgPool1D, LastTokenPool).
import { inputFail, numel, requireFloat } from './rule';
import type { ShapeRule } from './rule';
import { windowOutput } from './window';

export const pool2dRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 3) {
    return inputFail(ctx, input, 'a [C, H, W] image', 'pool before the Flatten, or Reshape to [C, H, W] first.');
  }
  const kernel = attrs.pool_size as number[];
  const strides = (attrs.strides as number[] | undefined) ?? kernel;
  const padding = attrs.padding as 'valid' | 'same' | number[];
  if (Array.isArray(padding)) {
    const axis = padding.findIndex((p, i) => p >= kernel[i]);
    if (axis >= 0) {
      return {
        error: `${ctx.kind} padding ${padding[axis]} must be smaller than the pool size ${kernel[axis]}, or whole windows would read only padding; lower the padding.`,
        code: 'invalid-param',
        param: 'padding',
      };
    }
  }
  const win = windowOutput(ctx, input.shape, kernel, strides, [1, 1], padding);
  if ('error' in win) return win;
  const output = [input.shape[0], ...win.output];
  return {
    output: { shape: output, dtype: 'float32' },
    params: [],
    flops: numel(output) * numel(kernel),
    resolved: { strides, pads: win.pads },
  };
};

export const globalAvgPool2dRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 3) {
    return inputFail(ctx, input, 'a [C, H, W] image', 'use GlobalAvgPool1D for [T, D] sequences; a [D] vector needs no pooling.');
  }
  return { output: { shape: [input.shape[0]], dtype: 'float32' }, params: [], flops: numel(input.shape) };
};

export const globalAvgPool1dRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [T, D] sequence', 'use GlobalAvgPool2D for [C, H, W] images; a [D] vector needs no pooling.');
  }
  return { output: { shape: [input.shape[1]], dtype: 'float32' }, params: [], flops: numel(input.shape) };
};

export const lastTokenPoolRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [T, D] sequence', 'feed it a sequence (e.g. from a recurrent layer with return_sequences: true).');
  }
  return { output: { shape: [input.shape[1]], dtype: 'float32' }, params: [], flops: 0 };
};
