// The model's answer for one sample: top-k classes by probability (or the output values of a
// regression model), and the unit explained when the host names none (the predicted one).
import type { Prediction } from './types';

/** Index of the largest value (the first on ties). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** Top `k` predictions, best first; classifiers by probability, regression outputs in their order. */
export function topPredictions(scores: ArrayLike<number>, probabilities: ArrayLike<number> | undefined, k: number, names?: readonly string[]): Prediction[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  if (probabilities) order.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  return order.slice(0, k).map((index) => ({
    index,
    ...(names?.[index] !== undefined ? { name: names[index] } : {}),
    score: scores[index],
    ...(probabilities ? { probability: probabilities[index] } : {}),
  }));
}
