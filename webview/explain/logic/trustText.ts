// What the view says about the two trust checks shown with every explanation, and how it formats
// their numbers: Integrated Gradients' completeness gap, and the model-randomization check.
import { COMPLETENESS_TOLERANCE } from '../../../src/explain/trust';
import type { CompletenessCheck, RandomizationCheck } from '../../../src/explain/types';

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : v.toFixed(a >= 100 ? 1 : 3);
}

export function percent(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)} %`;
}

export interface TrustLine {
  /** `ok`: nothing to worry about; `warn`: read the map with care. */
  level: 'ok' | 'warn';
  title: string;
  /** The numbers, in one line. */
  numbers: string;
  /** What they mean. */
  meaning: string;
}

export function completenessLine(c: CompletenessCheck): TrustLine {
  const warn = c.relativeGap > COMPLETENESS_TOLERANCE;
  return {
    level: warn ? 'warn' : 'ok',
    title: `Completeness gap ${percent(c.relativeGap, 2)}`,
    numbers: `Σ attributions ${fmt(c.sum)} vs f(x) − f(baseline) = ${fmt(c.score)} − ${fmt(c.baselineScore)} = ${fmt(c.score - c.baselineScore)} (${c.steps} steps, ${c.baseline} baseline)`,
    meaning: warn
      ? `The attributions should add up to the output's change from the baseline to the input; they miss it by more than ${percent(COMPLETENESS_TOLERANCE, 0)}, so the path integral is coarse. Raise the steps.`
      : 'The attributions add up to the change of the output from the baseline to the input, as Integrated Gradients promises: the integral is accurate.',
  };
}

/** Below this many map elements a rank correlation is ±1 or near it by chance alone. */
export const MIN_RANKED_ELEMENTS = 8;

export function randomizationLine(r: RandomizationCheck): TrustLine {
  const n = r.map.length;
  if (n < MIN_RANKED_ELEMENTS) {
    return {
      level: 'warn',
      title: `Randomization check inconclusive (ρ = ${r.spearman.toFixed(2)} over ${n} element${n === 1 ? '' : 's'})`,
      numbers: `Spearman rank correlation of |map| with a re-initialised model's map: ${r.spearman.toFixed(3)} (weights seed ${r.seed})`,
      meaning: `Ranking only ${n} input element${n === 1 ? '' : 's'} gives a correlation near ±1 or 0 by chance, so this check cannot tell the trained model from a random one here.`,
    };
  }
  return {
    level: r.alike ? 'warn' : 'ok',
    title: r.alike ? `Alike with random weights (ρ = ${r.spearman.toFixed(2)})` : `Depends on the trained weights (ρ = ${r.spearman.toFixed(2)})`,
    numbers: `Spearman rank correlation of |map| with a re-initialised model's map: ${r.spearman.toFixed(3)} (signed ${r.spearmanSigned.toFixed(3)}; alike at ≥ ${r.threshold}; weights seed ${r.seed})`,
    meaning: r.alike
      ? 'The same method on the same architecture with random weights ranks the input elements much the same way. The map shows the input’s own structure (edges, bright areas) more than what the model learned: do not read it as the model’s reasoning.'
      : 'With random weights the map ranks the input elements differently, so it reflects what the model learned. This is a necessary condition for a faithful explanation, not a proof of one.',
  };
}
