// The numbers of one run as the charts need them: step points, epoch points and per-layer
// gradient norms, each capped in length (older points are thinned out, never the newest).
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

/** Gradient norm per layer (a layer's tensors combined) from the engine's per-tensor statistics. */
export function gradPoint(step: number, stats: readonly GradStat[]): GradPoint {
  const sq: Record<string, number> = {};
  for (const s of stats) sq[s.layer] = (sq[s.layer] ?? 0) + s.gradNorm * s.gradNorm;
  const layers: Record<string, number> = {};
  for (const [layer, v] of Object.entries(sq)) layers[layer] = Math.sqrt(v);
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
