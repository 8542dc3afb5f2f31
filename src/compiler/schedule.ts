// Learning-rate schedules as a pure function of the step, so the engine computes the lr fed to
// each train step (or a vector of them for a fused multi-step run).
import type { OptimizerConfig, ScheduleConfig } from './types';

/**
 * The learning rate for the 0-based optimizer `step` of a run of `epochs` epochs with
 * `stepsPerEpoch` steps each. A warm-up ramps linearly from lr / warmupSteps to lr over the first
 * `warmupEpochs`; after it:
 * - constant: lr;
 * - step: lr * gamma^floor(epoch / stepSize) (epochs counted from the start of training);
 * - cosine: minLr + (lr - minLr) (1 + cos(pi p)) / 2;
 * - linear: lr + (minLr - lr) p;
 * where p in [0, 1] is the fraction of the post-warm-up steps done before this one.
 */
export function learningRate(schedule: ScheduleConfig, optimizer: OptimizerConfig, step: number, stepsPerEpoch: number, epochs: number): number {
  const base = optimizer.lr;
  const perEpoch = Math.max(1, stepsPerEpoch);
  const total = Math.max(1, Math.round(epochs * perEpoch));
  const warmup = Math.min(total, Math.round(schedule.warmupEpochs * perEpoch));
  if (step < warmup) return (base * (step + 1)) / warmup;
  const minLr = Math.min(schedule.minLr, base);
  const decaySteps = total - warmup;
  // Fraction of the decay done before this step: 0 at its start, (n-1)/n at its last step, so
  // no step is wasted at min_lr = 0; 1 beyond the planned length.
  const p = decaySteps <= 0 ? 1 : Math.min(1, (step - warmup) / decaySteps);
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'step':
      return Math.max(minLr, base * Math.pow(schedule.gamma, Math.floor(step / (Math.max(1, schedule.stepSize) * perEpoch))));
    case 'cosine':
      return minLr + ((base - minLr) * (1 + Math.cos(Math.PI * p))) / 2;
    case 'linear':
      return base + (minLr - base) * p;
  }
}
