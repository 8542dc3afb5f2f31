// Vanilla gradient (saliency: ∂f/∂x) and gradient × input (x ⊙ ∂f/∂x), one backward pass each.
import type { ScalarFunction } from '../runner';
import type { MethodOutput } from './types';

export async function vanillaGradient(fn: ScalarFunction, x: Float64Array): Promise<MethodOutput> {
  const r = await fn.gradients(x, 1);
  return { attributions: Float64Array.from(r.gradients), score: r.values[0] };
}

export async function gradientTimesInput(fn: ScalarFunction, x: Float64Array): Promise<MethodOutput> {
  const r = await fn.gradients(x, 1);
  const attributions = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) attributions[i] = x[i] * r.gradients[i];
  return { attributions, score: r.values[0] };
}
