// Dense (any rank, applied to the last axis) and TimeDistributedDense ([T, D] only).
// Weights are [in, units] so the forward pass is a plain MatMul on any rank.
import type { ParamInfo, TensorType } from '../types';
import { activationFlops, bias, fmtShape, inputFail, numel, requireFloat, weight } from './rule';
import type { ShapeContext, ShapeFail, ShapeOk, ShapeRule } from './rule';

function denseOver(input: TensorType, units: number, activation: unknown, useBias: boolean): ShapeOk {
  const inFeatures = input.shape[input.shape.length - 1];
  const rows = numel(input.shape.slice(0, -1));
  const params: ParamInfo[] = [weight('weight', [inFeatures, units], inFeatures, units, activation)];
  if (useBias) params.push(bias('bias', units));
  const outElems = rows * units;
  return {
    output: { shape: [...input.shape.slice(0, -1), units], dtype: 'float32' },
    params,
    flops: 2 * rows * inFeatures * units + (useBias ? outElems : 0) + activationFlops(activation, outElems),
  };
}

export const denseRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length === 0) return inputFail(ctx, input, 'at least one axis', 'give the Input a shape such as [4].');
  return denseOver(input, attrs.units as number, attrs.activation, attrs.use_bias !== false);
};

export const timeDistributedDenseRule: ShapeRule = (attrs, [input], ctx: ShapeContext): ShapeOk | ShapeFail => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    return inputFail(ctx, input, 'a [T, D] sequence', `use Dense for ${fmtShape(input.shape)} inputs, or Reshape to [T, D] first.`);
  }
  return denseOver(input, attrs.units as number, attrs.activation, true);
};
