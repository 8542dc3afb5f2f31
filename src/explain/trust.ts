// The trust checks shown with every explanation. Completeness: Integrated Gradients'
// attributions should add up to f(x) − f(baseline); the gap is integration error. Model
// randomization (Adebayo et al., 2018): the same method on the same architecture with
// re-initialised weights; if the two maps rank the elements alike, the map shows the input's
// structure (edges, bright pixels), not what the model learned.
import { spearman } from './rank';
import type { BaselineKind, CompletenessCheck, RandomizationCheck } from './types';

/** A relative completeness gap above this is reported with a hint to take more steps. */
export const COMPLETENESS_TOLERANCE = 0.05;
/** Spearman ρ of |map| at or above this counts as "alike" (maps of a trained and a random model). */
export const RANDOMIZATION_THRESHOLD = 0.5;

export function completenessCheck(attributions: ArrayLike<number>, score: number, baselineScore: number, steps: number, baseline: BaselineKind): CompletenessCheck {
  let sum = 0;
  for (let i = 0; i < attributions.length; i++) sum += attributions[i];
  const expected = score - baselineScore;
  const gap = sum - expected;
  return { score, baselineScore, sum, gap, relativeGap: Math.abs(gap) / Math.max(Math.abs(expected), 1e-6), steps, baseline };
}

export function randomizationCheck(trainedMap: ArrayLike<number>, randomMap: ArrayLike<number>, seed: number, threshold = RANDOMIZATION_THRESHOLD): RandomizationCheck {
  const abs = (v: ArrayLike<number>) => Float64Array.from(v as ArrayLike<number>, Math.abs);
  const rho = spearman(abs(trainedMap), abs(randomMap));
  const rhoSigned = spearman(trainedMap, randomMap);
  const alike = rho >= threshold;
  const shown = rho.toFixed(2);
  const message = alike
    ? `the map is alike for the trained model and a re-initialised one (Spearman ρ = ${shown} ≥ ${threshold}): it reflects the input more than what the model learned`
    : `the map differs from a re-initialised model's (Spearman ρ = ${shown} < ${threshold}): it depends on what the model learned`;
  return { spearman: rho, spearmanSigned: rhoSigned, threshold, alike, seed, map: Array.from(randomMap), message };
}

/** Share of the map's total |value| that lies where `mask` is 1. */
export function massInMask(map: ArrayLike<number>, mask: ArrayLike<number>): number {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    const m = Math.abs(map[i]);
    total += m;
    if (mask[i]) inside += m;
  }
  return total > 0 ? inside / total : 0;
}
