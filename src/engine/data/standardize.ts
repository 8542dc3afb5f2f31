// Per-feature standardisation (x - mean) / std, fitted on the training samples only so that
// validation and test statistics never leak into training.
import { shapeSize } from './types';

export interface Standardizer {
  /** Per-feature mean, one value per element of a sample. */
  mean: Float32Array;
  /** Per-feature standard deviation; constant features get 1 so they map to 0 rather than NaN. */
  std: Float32Array;
  /** Returns a standardised copy of `x` (any number of samples). */
  apply(x: Float32Array): Float32Array;
  /** Standardises `x` in place and returns it. */
  applyInPlace(x: Float32Array): Float32Array;
}

/** Below this a feature counts as constant. */
const MIN_STD = 1e-7;

/**
 * Fits mean and (population) standard deviation of every feature over the samples listed in
 * `trainIdx`; statistics are accumulated in float64. With no training samples the standardiser
 * is the identity.
 * @throws RangeError when an index is outside the data (a programming error).
 */
export function fitStandardizer(x: Float32Array, sampleShape: readonly number[], trainIdx: ArrayLike<number>): Standardizer {
  const f = shapeSize(sampleShape);
  const count = f === 0 ? 0 : x.length / f;
  const sum = new Float64Array(f);
  const sumSq = new Float64Array(f);
  for (let k = 0; k < trainIdx.length; k++) {
    const s = trainIdx[k];
    if (!Number.isInteger(s) || s < 0 || s >= count) throw new RangeError(`fitStandardizer: sample index ${s} outside 0..${count - 1}`);
    const base = s * f;
    for (let j = 0; j < f; j++) sum[j] += x[base + j];
  }
  const n = trainIdx.length;
  const mean = new Float32Array(f);
  for (let j = 0; j < f; j++) mean[j] = n > 0 ? sum[j] / n : 0;
  // Second pass around the mean: numerically safer than E[x²] - E[x]².
  for (let k = 0; k < n; k++) {
    const base = trainIdx[k] * f;
    for (let j = 0; j < f; j++) {
      const d = x[base + j] - mean[j];
      sumSq[j] += d * d;
    }
  }
  const std = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    const s = n > 0 ? Math.sqrt(sumSq[j] / n) : 1;
    std[j] = s < MIN_STD ? 1 : s;
  }
  const applyInPlace = (data: Float32Array): Float32Array => {
    for (let i = 0; i < data.length; i++) {
      const j = i % f;
      data[i] = (data[i] - mean[j]) / std[j];
    }
    return data;
  };
  return { mean, std, applyInPlace, apply: (data) => applyInPlace(data.slice()) };
}
