// The contract every shape rule follows, plus small helpers shared by the rule files.
//
// Cost conventions (per sample, forward pass), applied the same way by every rule:
// - a multiply-add counts 2 FLOPs (matrix products, convolutions, recurrent steps, attention);
// - adding a bias costs 1 FLOP per output element;
// - an activation (standalone or fused via `activation:`) costs 1 FLOP per element, `linear` 0;
// - a normalisation costs 4 FLOPs per element (subtract mean, divide by std, scale, shift);
// - a pooling window costs 1 FLOP per element it reads; element-wise Add n-1 per element;
// - reshapes, dropout (identity at inference), embedding look-ups and concatenation cost 0.
import type { DType, ParamInfo, TensorType } from '../types';

export interface ShapeOk {
  output: TensorType;
  params: ParamInfo[];
  flops: number;
  /** Attributes whose value depends on the input (pool strides, conv pads, key_dim ...). */
  resolved?: Record<string, unknown>;
}

export interface ShapeFail {
  /** A sentence that says what is wrong and what to do. */
  error: string;
  /** `shape-mismatch` unless said otherwise. */
  code?: 'shape-mismatch' | 'dtype-mismatch' | 'invalid-param';
  /** The parameter at fault, when the error is about one (the diagnostic points at it). */
  param?: string;
  /** The input at fault (index into `inputs`), when the error is about one. */
  input?: number;
}

export interface ShapeContext {
  /** Ids of the layers producing each input, for messages. */
  sources: string[];
  /** The layer's kind, for messages. */
  kind: string;
}

/**
 * Computes a layer's output type, parameter tensors and cost from its normalised attributes
 * (defaults applied, pairs expanded) and its input types, or says why it cannot.
 */
export type ShapeRule = (attrs: Record<string, unknown>, inputs: TensorType[], ctx: ShapeContext) => ShapeOk | ShapeFail;

export function isFail(r: ShapeOk | ShapeFail): r is ShapeFail {
  return (r as ShapeFail).error !== undefined;
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function dtypeBytes(dtype: DType): number {
  return dtype === 'int64' ? 8 : 4;
}

/** Activations counted as ReLU-like, which get He initialisation in the layer before them. */
const reluFamily = new Set(['relu', 'leaky_relu']);

/** Weight of a Dense/Conv layer: He for ReLU-family activations, else Glorot. */
export function weight(name: string, shape: number[], fanIn: number, fanOut: number, activation?: unknown): ParamInfo {
  const he = typeof activation === 'string' && reluFamily.has(activation);
  return { name, shape, trainable: true, init: he ? 'he_normal' : 'glorot_uniform', fanIn, fanOut };
}

export function bias(name: string, size: number): ParamInfo {
  return { name, shape: [size], trainable: true, init: 'zeros', fanIn: size, fanOut: size };
}

/** FLOPs of an activation over `elements` values (see the conventions above). */
export function activationFlops(activation: unknown, elements: number): number {
  return activation === undefined || activation === 'linear' ? 0 : elements;
}

/** A fail about the input's rank or dtype, naming the producing layer. */
export function inputFail(ctx: ShapeContext, input: TensorType, expected: string, advice: string, index = 0): ShapeFail {
  return {
    error: `${ctx.kind} expects ${expected} but its input \`${ctx.sources[index]}\` gives ${fmtShape(input.shape)}${input.dtype === 'int64' ? ' (int64)' : ''}; ${advice}`,
    input: index,
  };
}

/** Fails unless the input is float32 (everything except Embedding works on floats). */
export function requireFloat(ctx: ShapeContext, input: TensorType, index = 0): ShapeFail | undefined {
  if (input.dtype === 'float32') return undefined;
  return {
    error: `${ctx.kind} needs float32 values but its input \`${ctx.sources[index]}\` gives int64 token ids; feed the ids through an Embedding first, or declare the Input with dtype: float32.`,
    code: 'dtype-mismatch',
    input: index,
  };
}

export function float32(shape: number[]): TensorType {
  return { shape, dtype: 'float32' };
}
