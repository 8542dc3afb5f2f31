// SmoothGrad (Smilkov et al., 2017): the gradient averaged over noisy copies of the input,
// x + N(0, σ²) with σ = noise × (max(x) − min(x)), which washes out the gradient's
// high-frequency jitter. The noise is seeded, so a result can be reproduced.
import { mulberry32, normals } from '../../compiler/random';
import type { ScalarFunction } from '../runner';
import { gradientsAt } from './batched';
import type { MethodOutput } from './types';

/** σ of the SmoothGrad noise: a fraction of the input's value range (of 1 when the input is constant). */
export function smoothGradSigma(x: ArrayLike<number>, noise: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  const range = hi - lo;
  return noise * (range > 0 && Number.isFinite(range) ? range : 1);
}

export async function smoothGrad(fn: ScalarFunction, x: Float64Array, samples: number, noise: number, seed: number): Promise<MethodOutput> {
  const sigma = smoothGradSigma(x, noise);
  const normal = normals(mulberry32(seed));
  const sum = new Float64Array(x.length);
  const score = (await fn.values(x, 1))[0];
  await gradientsAt(
    fn,
    samples,
    (_k, into) => {
      for (let i = 0; i < x.length; i++) into[i] = x[i] + sigma * normal();
    },
    (_k, _value, gradient) => {
      for (let i = 0; i < sum.length; i++) sum[i] += gradient[i];
    },
  );
  for (let i = 0; i < sum.length; i++) sum[i] /= samples;
  return { attributions: sum, score };
}
