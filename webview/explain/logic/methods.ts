// The attribution methods as the view offers them: names, one-line descriptions, which settings
// each takes, and the explain options sent for a method with the view's settings.
import type { AttributedOutput, AttributionMethod, BaselineKind, ExplainOptions, InputKind } from '../../../src/explain/types';

export interface MethodInfo {
  method: AttributionMethod;
  label: string;
  doc: string;
  /** Settings this method reads. */
  uses: ('steps' | 'baseline' | 'samples' | 'noise' | 'window')[];
}

export const METHOD_INFO: readonly MethodInfo[] = [
  { method: 'integrated_gradients', label: 'Integrated Gradients', doc: 'Gradients averaged on the path from a baseline to the input, times the difference; they add up to the change of the output.', uses: ['steps', 'baseline'] },
  { method: 'gradient', label: 'Vanilla gradient', doc: 'How much the output moves per unit change of each input element (saliency); a magnitude.', uses: [] },
  { method: 'gradient_x_input', label: 'Gradient × input', doc: 'The gradient times the input: a first-order estimate of each element’s contribution.', uses: [] },
  { method: 'smoothgrad', label: 'SmoothGrad', doc: 'The gradient’s magnitude averaged over noisy copies of the input, which removes speckle.', uses: ['samples', 'noise'] },
  { method: 'occlusion', label: 'Occlusion', doc: 'How much the output drops when a window of the input is replaced by the baseline.', uses: ['window', 'baseline'] },
];

export function methodInfo(method: AttributionMethod): MethodInfo {
  return METHOD_INFO.find((m) => m.method === method) ?? METHOD_INFO[0];
}

export interface MethodSettings {
  steps: number;
  baseline: BaselineKind;
  samples: number;
  noise: number;
  window: number;
  output: AttributedOutput;
}

export const DEFAULT_SETTINGS: MethodSettings = { steps: 64, baseline: 'zeros', samples: 32, noise: 0.15, window: 4, output: 'logit' };

/** Baselines that make sense for an input kind (a blurred copy needs an image). */
export function baselinesFor(kind: InputKind): BaselineKind[] {
  return kind === 'image' ? ['zeros', 'blurred', 'mean'] : ['zeros', 'mean'];
}

/**
 * The options sent for `method`: only the settings it reads, the target when one is chosen, and
 * the trust check always on (the view shows it with every explanation).
 */
export function explainOptions(method: AttributionMethod, s: MethodSettings, kind: InputKind, target: number | undefined, topK: number): ExplainOptions {
  const uses = methodInfo(method).uses;
  const o: ExplainOptions = { method, output: s.output, topK, randomizationCheck: true };
  if (target !== undefined) o.target = target;
  if (uses.includes('steps')) o.steps = s.steps;
  if (uses.includes('baseline')) o.baseline = baselinesFor(kind).includes(s.baseline) ? s.baseline : 'zeros';
  if (uses.includes('samples')) o.samples = s.samples;
  if (uses.includes('noise')) o.noise = s.noise;
  if (uses.includes('window')) o.window = kind === 'image' ? s.window : 1;
  return o;
}

/** A key that is equal exactly when two requests would give the same explanation. */
export function requestKey(parts: { weights: string; source: string; options: ExplainOptions }): string {
  const o = parts.options;
  const sorted = Object.keys(o)
    .sort()
    .map((k) => [k, o[k as keyof ExplainOptions]]);
  return JSON.stringify([parts.weights, parts.source, sorted]);
}
