// How an input's layout shapes an explanation: which kind of input it is, which axes occlusion
// windows slide along, and how per-element attributions become the map that is drawn
// (channels combined for images, the embedding dimension folded per token).
import type { InputKind } from './types';

/** The kind of a model input from its per-sample shape and element type. */
export function inputKind(shape: readonly number[], tokenIds: boolean): InputKind {
  if (tokenIds) return 'tokens';
  if (shape.length === 3) return 'image';
  if (shape.length === 1) return 'tabular';
  return 'tensor';
}

/**
 * The axes of the attributed tensor that occlusion windows slide along: H and W of an image
 * (channels covered whole), the tokens of an embedded sequence [T, D] (embedding whole), the
 * features of a tabular input, and every axis but the first (channels) of other tensors.
 */
export function slidAxes(kind: InputKind, attributedShape: readonly number[]): number[] {
  const rank = attributedShape.length;
  if (kind === 'tokens') return [0];
  if (rank <= 1) return [0];
  return Array.from({ length: rank - 1 }, (_, i) => i + 1);
}

/** Default occlusion window: 4 pixels on images (a seventh of a 28-pixel side), one element otherwise. */
export function defaultWindow(kind: InputKind): number {
  return kind === 'image' ? 4 : 1;
}

/** Whether a method's map is a magnitude (drawn with a sequential colormap) rather than signed. */
export function isMagnitudeMethod(method: string): boolean {
  return method === 'gradient' || method === 'smoothgrad';
}

/**
 * Embedding-space attributions [T, D] folded per token: summed over D (signed methods, so
 * Integrated Gradients stays complete) or their L2 norm (magnitude methods).
 */
export function foldTokens(attributions: ArrayLike<number>, length: number, dim: number, magnitude: boolean): Float64Array {
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    let acc = 0;
    for (let j = 0; j < dim; j++) {
      const v = attributions[t * dim + j];
      acc += magnitude ? v * v : v;
    }
    out[t] = magnitude ? Math.sqrt(acc) : acc;
  }
  return out;
}

/**
 * The map drawn for per-element attributions of shape `shape`: images [C, H, W] combine the
 * channels into [H, W] (sum for signed maps, sum of magnitudes otherwise); magnitude maps of
 * other inputs are absolute values; signed maps are the attributions themselves.
 */
export function attributionMap(kind: InputKind, shape: readonly number[], attributions: ArrayLike<number>, magnitude: boolean): { values: Float64Array; shape: number[] } {
  if (kind === 'image') {
    const [c, h, w] = shape;
    const out = new Float64Array(h * w);
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) {
        const v = attributions[ch * h * w + i];
        out[i] += magnitude ? Math.abs(v) : v;
      }
    }
    return { values: out, shape: [h, w] };
  }
  const values = Float64Array.from(attributions, (v) => (magnitude ? Math.abs(v) : v));
  return { values, shape: [...shape] };
}
