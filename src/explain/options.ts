// Checks the method options a host sent and fills in the defaults; a bad value becomes an
// EngineError that names the option (and its CLI flag) and the accepted range.
import { EngineError } from '../engine/errors';
import { defaultWindow } from './layout';
import type { AttributionMethod, BaselineKind, ExplainOptions, InputKind, ResolvedMethodOptions } from './types';

export const METHODS: readonly AttributionMethod[] = ['gradient', 'gradient_x_input', 'smoothgrad', 'integrated_gradients', 'occlusion'];
export const BASELINES: readonly BaselineKind[] = ['zeros', 'blurred', 'mean'];

export const DEFAULTS = { steps: 64, samples: 32, noise: 0.15, baseline: 'zeros' as BaselineKind, seed: 0, topK: 5 };
const LIMITS = { steps: 4096, samples: 4096, noise: 10, topK: 1000 };

function bad(message: string): EngineError {
  return new EngineError('bad_request', message);
}

function intIn(name: string, flag: string, v: unknown, lo: number, hi: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw bad(`${name} (${flag}) must be an integer from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
  return v;
}

/** One size per slid axis from a number (all axes) or a list (one per axis). */
function perAxis(name: string, flag: string, v: unknown, axes: number[], shape: number[], fallback: number[]): number[] {
  if (v === undefined) return fallback;
  const list = typeof v === 'number' ? axes.map(() => v) : Array.isArray(v) ? v : undefined;
  if (!list || list.length !== axes.length || !list.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1)) {
    throw bad(`${name} (${flag}) must be a positive integer or a list of ${axes.length} (one per axis the window slides along: ${axes.map((a) => `axis ${a} of [${shape.join(', ')}]`).join(', ')}), got ${JSON.stringify(v)}`);
  }
  return list as number[];
}

/**
 * The options with defaults applied. `axes`/`shape` describe where occlusion windows slide (see
 * `slidAxes`); windows larger than an axis are clipped to it.
 */
export function resolveOptions(o: ExplainOptions, kind: InputKind, shape: number[], axes: number[]): ResolvedMethodOptions {
  if (!o || typeof o !== 'object') throw bad('the explain options are missing');
  if (!METHODS.includes(o.method)) throw bad(`method (--method) must be one of ${METHODS.join(', ')}, got ${JSON.stringify(o.method)}`);
  if (o.baseline !== undefined && !BASELINES.includes(o.baseline)) throw bad(`baseline (--baseline) must be one of ${BASELINES.join(', ')}, got ${JSON.stringify(o.baseline)}`);
  if (o.noise !== undefined && !(typeof o.noise === 'number' && Number.isFinite(o.noise) && o.noise >= 0 && o.noise <= LIMITS.noise)) {
    throw bad(`noise (--noise) must be a number from 0 to ${LIMITS.noise} (a fraction of the input's value range), got ${JSON.stringify(o.noise)}`);
  }
  const window = perAxis('window', '--window', o.window, axes, shape, axes.map(() => defaultWindow(kind))).map((w, k) => Math.min(w, shape[axes[k]]));
  const stride = perAxis('stride', '--stride', o.stride, axes, shape, window.map((w) => Math.max(1, Math.floor(w / 2))));
  return {
    method: o.method,
    steps: intIn('steps', '--steps', o.steps, 1, LIMITS.steps, DEFAULTS.steps),
    baseline: o.baseline ?? DEFAULTS.baseline,
    samples: intIn('samples', '--samples', o.samples, 1, LIMITS.samples, DEFAULTS.samples),
    noise: o.noise ?? DEFAULTS.noise,
    window,
    stride,
    seed: intIn('seed', '--seed', o.seed, 0, 2 ** 32 - 1, DEFAULTS.seed),
  };
}

export function resolveTopK(v: unknown): number {
  return intIn('topK', '--top', v, 1, LIMITS.topK, DEFAULTS.topK);
}
