// Reference inputs for Integrated Gradients and occlusion: all zeros, a Gaussian blur of the
// input (its coarse layout kept, its detail removed), or the mean of the training samples.
// Values are in the space the model sees (standardised features, embedded tokens).
import { EngineError } from '../engine/errors';
import type { BaselineKind, InputKind } from './types';

/** σ of the blurred baseline, in elements: a sixth of the longest blurred side, at least 1. */
export function blurSigma(sides: number[]): number {
  return Math.max(1, Math.max(...sides) / 6);
}

/** Normalised Gaussian weights for offsets −r..r. */
function gaussianKernel(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  for (let i = -r; i <= r; i++) k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return k;
}

/**
 * Blurs `count` independent lines of `length` values, `stride` apart in `v`, in place. Near the
 * ends the kernel is renormalised over the values that exist (no padding brightens or darkens).
 */
function blurLines(v: Float64Array, lines: { start: number; step: number }[], length: number, kernel: Float64Array): void {
  const r = (kernel.length - 1) / 2;
  const line = new Float64Array(length);
  for (const { start, step } of lines) {
    for (let i = 0; i < length; i++) line[i] = v[start + i * step];
    for (let i = 0; i < length; i++) {
      let acc = 0;
      let wsum = 0;
      for (let d = -r; d <= r; d++) {
        const j = i + d;
        if (j < 0 || j >= length) continue;
        acc += kernel[d + r] * line[j];
        wsum += kernel[d + r];
      }
      v[start + i * step] = acc / wsum;
    }
  }
}

/** The input blurred along H and W (images, per channel) or along the last axis ([C, L] signals, per channel). */
export function blurred(x: ArrayLike<number>, shape: number[], kind: InputKind): Float64Array {
  const v = Float64Array.from(x);
  if (kind === 'image') {
    const [c, h, w] = shape;
    const kernel = gaussianKernel(blurSigma([h, w]));
    const rows: { start: number; step: number }[] = [];
    const cols: { start: number; step: number }[] = [];
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h; i++) rows.push({ start: ch * h * w + i * w, step: 1 });
      for (let j = 0; j < w; j++) cols.push({ start: ch * h * w + j, step: w });
    }
    blurLines(v, rows, w, kernel);
    blurLines(v, cols, h, kernel);
    return v;
  }
  if (kind === 'tensor' && shape.length === 2) {
    const [c, l] = shape;
    blurLines(v, Array.from({ length: c }, (_, ch) => ({ start: ch * l, step: 1 })), l, gaussianKernel(blurSigma([l])));
    return v;
  }
  throw new EngineError('bad_request', `a blurred baseline needs an image [C, H, W] or a signal [C, L]; this input is ${kind} [${shape.join(', ')}]. Use --baseline zeros or mean`);
}

/** Element-wise mean of `count` samples of `size` values stored one after another. */
export function sampleMean(samples: ArrayLike<number>, count: number, size: number): Float64Array {
  const mean = new Float64Array(size);
  for (let s = 0; s < count; s++) for (let i = 0; i < size; i++) mean[i] += samples[s * size + i];
  for (let i = 0; i < size; i++) mean[i] /= Math.max(1, count);
  return mean;
}

export interface BaselineSource {
  kind: InputKind;
  /** Per-sample shape of the attributed values (the embedded [T, D] for tokens). */
  shape: number[];
  /** The training samples' mean in the attributed space; computed only when a `mean` baseline is asked for. */
  mean: () => Float64Array;
}

export function makeBaseline(which: BaselineKind, x: Float64Array, source: BaselineSource): Float64Array {
  switch (which) {
    case 'zeros':
      return new Float64Array(x.length);
    case 'blurred':
      return blurred(x, source.shape, source.kind);
    case 'mean':
      return source.mean();
  }
}
