// The numbers of one run as the charts need them: step points, epoch points and per-layer
// mean |gradient|, each capped in length (older points are thinned out, never the newest).
import type { GradStat } from '../../engine/protocol';
import type { EpochPoint, GradPoint, RunData, StepPoint } from '../../webview-protocol/dashboard';
import { thresholds } from './thresholds';

/** Halves `points` by dropping every second one (keeping the first and last) while longer than `max`. */
export function thin<T>(points: T[], max: number): T[] {
  if (max < 2) return points.slice(-Math.max(0, max));
  let out = points;
  while (out.length > max) {
    const last = out[out.length - 1];
    out = out.filter((_, i) => i % 2 === 0);
    if (out[out.length - 1] !== last) out.push(last);
  }
  return out;
}

/** What the per-layer mean needs of one tensor's statistics. */
export type TensorMeanAbs = Pick<GradStat, 'layer' | 'gradMeanAbs' | 'elements'>;

/**
 * Mean |gradient| per layer from the engine's per-tensor means: each tensor weighted by its
 * element count, so a layer's value is the mean over all its gradient elements. Tensors without
 * a finite mean (or a count) are left out, and a layer with none is absent (a gap in its line).
 */
export function gradPoint(step: number, stats: readonly TensorMeanAbs[]): GradPoint {
  const sums: Record<string, { abs: number; n: number }> = {};
  for (const s of stats) {
    if (s.gradMeanAbs === undefined || !Number.isFinite(s.gradMeanAbs) || !s.elements || s.elements <= 0) continue;
    const acc = (sums[s.layer] ??= { abs: 0, n: 0 });
    acc.abs += s.gradMeanAbs * s.elements;
    acc.n += s.elements;
  }
  const layers: Record<string, number> = {};
  for (const [layer, a] of Object.entries(sums)) layers[layer] = a.abs / a.n;
  return { step, layers };
}

export class MetricSeries {
  steps: StepPoint[] = [];
  epochs: EpochPoint[] = [];
  grads: GradPoint[] = [];

  constructor(private readonly maxPoints = thresholds.series.maxPoints) {}

  addStep(p: StepPoint): void {
    this.steps.push(p);
    if (this.steps.length > this.maxPoints) this.steps = thin(this.steps, this.maxPoints / 2);
  }

  /** An epoch again (a resumed run redoing it) replaces the earlier record. */
  addEpoch(p: EpochPoint): void {
    this.epochs = this.epochs.filter((e) => e.epoch < p.epoch);
    this.epochs.push(p);
  }

  addGrad(p: GradPoint): void {
    this.grads.push(p);
    if (this.grads.length > this.maxPoints) this.grads = thin(this.grads, this.maxPoints / 2);
  }

  data(id: string, label: string): RunData {
    return { id, label, steps: this.steps.slice(), epochs: this.epochs.slice(), grads: this.grads.slice() };
  }
}
