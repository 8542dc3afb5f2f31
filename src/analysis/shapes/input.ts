// Input: declares the per-sample tensor the network receives.
import type { DType } from '../types';
import type { ShapeRule } from './rule';

export const inputRule: ShapeRule = (attrs) => ({
  output: { shape: [...(attrs.shape as number[])], dtype: (attrs.dtype as DType) ?? 'float32' },
  params: [],
  flops: 0,
});
