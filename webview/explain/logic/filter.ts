// Choosing samples to explain from the model's predictions on a split: misclassified or correct
// ones, those the model is unsure about, one true or predicted class, in split order or by
// confidence (or, for regression models, by error).
import type { SamplePrediction } from '../../../src/explain/types';

export interface SampleFilter {
  outcome: 'all' | 'misclassified' | 'correct';
  /** Keep samples whose confidence is below this (0..1); undefined keeps all. */
  maxConfidence?: number;
  /** Keep one true class. */
  label?: number;
  /** Keep one predicted class. */
  predicted?: number;
  sort: 'index' | 'confidence-asc' | 'confidence-desc' | 'error-desc';
}

export const DEFAULT_FILTER: SampleFilter = { outcome: 'all', sort: 'index' };

export function isMisclassified(s: SamplePrediction): boolean {
  return s.label !== undefined && s.predicted !== undefined && s.label !== s.predicted;
}

export function filterSamples(samples: readonly SamplePrediction[], f: SampleFilter): SamplePrediction[] {
  const kept = samples.filter((s) => {
    if (f.outcome === 'misclassified' && !isMisclassified(s)) return false;
    if (f.outcome === 'correct' && (s.label === undefined || s.label !== s.predicted)) return false;
    if (f.maxConfidence !== undefined && !(s.confidence !== undefined && s.confidence < f.maxConfidence)) return false;
    if (f.label !== undefined && s.label !== f.label) return false;
    if (f.predicted !== undefined && s.predicted !== f.predicted) return false;
    return true;
  });
  const by = (key: (s: SamplePrediction) => number | undefined, dir: 1 | -1) => (a: SamplePrediction, b: SamplePrediction) => {
    const x = key(a);
    const y = key(b);
    // Samples without the key go last, in split order.
    if (x === undefined || y === undefined) return x === y ? a.sample - b.sample : x === undefined ? 1 : -1;
    return dir * (x - y) || a.sample - b.sample;
  };
  if (f.sort === 'confidence-asc') kept.sort(by((s) => s.confidence, 1));
  else if (f.sort === 'confidence-desc') kept.sort(by((s) => s.confidence, -1));
  else if (f.sort === 'error-desc') kept.sort(by((s) => s.error, -1));
  return kept;
}

/** Name of class `k`: the data set's, else `class k`. */
export function className(k: number | undefined, names?: readonly string[]): string {
  if (k === undefined) return '?';
  return names?.[k] ?? `class ${k}`;
}

/** One line per sample in the list: `#12  circle → square (54 %)`, or `#3  error 0.123`. */
export function describeSample(s: SamplePrediction, names?: readonly string[]): string {
  if (s.predicted === undefined) return `#${s.sample}  error ${s.error !== undefined ? s.error.toPrecision(3) : '?'}`;
  const conf = s.confidence !== undefined ? ` (${(100 * s.confidence).toFixed(0)} %)` : '';
  const truth = s.label !== undefined ? `${className(s.label, names)} → ` : '';
  return `#${s.sample}  ${truth}${className(s.predicted, names)}${conf}`;
}

/** Counts shown beside the filter: all samples, misclassified ones. */
export function summary(samples: readonly SamplePrediction[]): { total: number; misclassified: number } {
  return { total: samples.length, misclassified: samples.filter(isMisclassified).length };
}
