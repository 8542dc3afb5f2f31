// Conv1D on [C, L] and Conv2D on [C, H, W], channels first, with groups and dilation.
// Weight layout is ONNX's: [filters, C / groups, k...].
import type { ParamInfo } from '../types';
import { activationFlops, bias, inputFail, numel, requireFloat, weight } from './rule';
import type { ShapeContext, ShapeFail, ShapeOk, ShapeRule } from './rule';
import { windowOutput } from './window';

function convolve(
  attrs: Record<string, unknown>,
  input: { shape: number[] },
  ctx: ShapeContext,
  kernel: number[],
  strides: number[],
  dilation: number[],
  padding: 'valid' | 'same' | number[],
): ShapeOk | ShapeFail {
  const filters = attrs.filters as number;
  const groups = (attrs.groups as number) ?? 1;
  const channels = input.shape[0];
  if (channels % groups !== 0) {
    return {
      error: `${ctx.kind} groups: ${groups} must divide the ${channels} input channels of \`${ctx.sources[0]}\`; pick a divisor of ${channels}.`,
      code: 'invalid-param',
      param: 'groups',
    };
  }
  if (filters % groups !== 0) {
    return {
      error: `${ctx.kind} groups: ${groups} must divide filters: ${filters}; make filters a multiple of ${groups}.`,
      code: 'invalid-param',
      param: 'groups',
    };
  }
  const win = windowOutput(ctx, input.shape, kernel, strides, dilation, padding);
  if ('error' in win) return win;
  const perGroup = channels / groups;
  const kernelElems = numel(kernel);
  const params: ParamInfo[] = [
    weight('weight', [filters, perGroup, ...kernel], perGroup * kernelElems, filters * kernelElems, attrs.activation),
  ];
  const useBias = attrs.use_bias !== false;
  if (useBias) params.push(bias('bias', filters));
  const outElems = filters * numel(win.output);
  return {
    output: { shape: [filters, ...win.output], dtype: 'float32' },
    params,
    flops: 2 * outElems * perGroup * kernelElems + (useBias ? outElems : 0) + activationFlops(attrs.activation, outElems),
    resolved: { pads: win.pads },
  };
}

export const conv2dRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 3) {
    return inputFail(ctx, input, 'a [C, H, W] image', 'Reshape it to [C, H, W] first (a single-channel image is [1, H, W]).');
  }
  return convolve(
    attrs,
    input,
    ctx,
    attrs.kernel_size as number[],
    attrs.strides as number[],
    attrs.dilation as number[],
    attrs.padding as 'valid' | 'same' | number[],
  );
};

export const conv1dRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [C, L] signal', 'Reshape it to [C, L] first (a single-channel signal is [1, L]).');
  }
  const padding = attrs.padding as 'valid' | 'same' | number;
  return convolve(
    attrs,
    input,
    ctx,
    [attrs.kernel_size as number],
    [attrs.strides as number],
    [attrs.dilation as number],
    typeof padding === 'number' ? [padding] : padding,
  );
};
