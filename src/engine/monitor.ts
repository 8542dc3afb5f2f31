// Tracks the monitored quantity across epochs: which epoch is best (for best.ckpt) and whether
// early stopping's patience has run out. Its state is plain numbers so checkpoints carry it.
import type { MonitorMode } from './run-config';
import type { Metrics } from './protocol';

export interface EpochNumbers {
  loss: number;
  metrics: Metrics;
  valLoss?: number;
  valMetrics?: Metrics;
}

/** The value of `monitor` (`loss`, `val_loss`, `accuracy`, `val_accuracy` ...) in an epoch's numbers. */
export function monitorValue(monitor: string, n: EpochNumbers): number | undefined {
  if (monitor === 'loss') return n.loss;
  if (monitor === 'val_loss') return n.valLoss;
  if (monitor.startsWith('val_')) return n.valMetrics?.[monitor.slice(4)];
  return n.metrics[monitor];
}

/** Names `monitor` may take for a run with these metrics. */
export function monitorNames(metrics: string[], withValidation: boolean): string[] {
  const train = ['loss', ...metrics];
  return withValidation ? [...train, ...train.map((m) => `val_${m}`)] : train;
}

export interface MonitorState {
  best?: number;
  bestEpoch?: number;
  epochsWithoutImprovement: number;
}

export class Monitor {
  constructor(
    readonly name: string,
    readonly mode: MonitorMode,
    readonly minDelta: number,
    private state: MonitorState = { epochsWithoutImprovement: 0 },
  ) {}

  get snapshot(): MonitorState {
    return { ...this.state };
  }

  get best(): number | undefined {
    return this.state.best;
  }

  get bestEpoch(): number | undefined {
    return this.state.bestEpoch;
  }

  get epochsWithoutImprovement(): number {
    return this.state.epochsWithoutImprovement;
  }

  /** Records an epoch's value; true when it improves on the best by more than `minDelta`. */
  update(epoch: number, value: number | undefined): boolean {
    if (value === undefined || !Number.isFinite(value)) {
      this.state.epochsWithoutImprovement++;
      return false;
    }
    const best = this.state.best;
    const improved = best === undefined || (this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta);
    if (improved) this.state = { best: value, bestEpoch: epoch, epochsWithoutImprovement: 0 };
    else this.state.epochsWithoutImprovement++;
    return improved;
  }

  /** Whether the last `patience` epochs (at least the last one) brought no improvement. */
  exhausted(patience: number): boolean {
    const wait = this.state.epochsWithoutImprovement;
    return wait > 0 && wait >= patience;
  }
}
