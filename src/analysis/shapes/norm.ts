// BatchNorm (over the channel axis, axis 0 of the per-sample shape) and LayerNorm (over the
// last axis). Both learn a scale (gamma, ones) and shift (beta, zeros); BatchNorm also keeps
// running statistics that the optimizer never touches.
import type { ParamInfo } from '../types';
import { inputFail, numel, requireFloat } from './rule';
import type { ShapeRule } from './rule';

function affine(size: number, prefix = ''): ParamInfo[] {
  return [
    { name: `${prefix}gamma`, shape: [size], trainable: true, init: 'ones', fanIn: size, fanOut: size },
    { name: `${prefix}beta`, shape: [size], trainable: true, init: 'zeros', fanIn: size, fanOut: size },
  ];
}

export { affine as normAffineParams };

export const batchNormRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length === 0) return inputFail(ctx, input, 'at least one axis', 'normalise a tensor with a channel axis.');
  const channels = input.shape[0];
  return {
    output: { shape: [...input.shape], dtype: 'float32' },
    params: [
      ...affine(channels),
      { name: 'running_mean', shape: [channels], trainable: false, init: 'zeros', fanIn: channels, fanOut: channels },
      { name: 'running_var', shape: [channels], trainable: false, init: 'ones', fanIn: channels, fanOut: channels },
    ],
    flops: 4 * numel(input.shape),
  };
};

export const layerNormRule: ShapeRule = (_attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length === 0) return inputFail(ctx, input, 'at least one axis', 'normalise a tensor with a feature axis.');
  return {
    output: { shape: [...input.shape], dtype: 'float32' },
    params: affine(input.shape[input.shape.length - 1]),
    flops: 4 * numel(input.shape),
  };
};
