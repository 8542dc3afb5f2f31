// Integrated Gradients (Sundararajan et al., 2017): (x − b) ⊙ ∫₀¹ ∇f(b + α(x − b)) dα, the
// integral by the midpoint rule over `steps` points. Completeness says the attributions add up
// to f(x) − f(b); the gap left is the integration error, which shrinks as steps grow.
import type { ScalarFunction } from '../runner';
import { gradientsAt } from './batched';
import type { MethodOutput } from './types';

/** The α of the midpoint rule: (k + ½) / steps. */
export function midpointAlphas(steps: number): number[] {
  return Array.from({ length: steps }, (_, k) => (k + 0.5) / steps);
}

export async function integratedGradients(fn: ScalarFunction, x: Float64Array, baseline: Float64Array, steps: number): Promise<MethodOutput> {
  if (baseline.length !== x.length) throw new RangeError(`internal: baseline has ${baseline.length} values, the input ${x.length}`);
  const alphas = midpointAlphas(steps);
  const sum = new Float64Array(x.length);
  await gradientsAt(
    fn,
    steps,
    (k, into) => {
      const a = alphas[k];
      for (let i = 0; i < x.length; i++) into[i] = baseline[i] + a * (x[i] - baseline[i]);
    },
    (_k, _value, gradient) => {
      for (let i = 0; i < sum.length; i++) sum[i] += gradient[i];
    },
  );
  const attributions = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) attributions[i] = ((x[i] - baseline[i]) * sum[i]) / steps;
  const ends = new Float64Array(2 * x.length);
  ends.set(x, 0);
  ends.set(baseline, x.length);
  const [score, baselineScore] = await fn.values(ends, 2);
  return { attributions, score, baselineScore };
}
