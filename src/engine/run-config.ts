// Resolves the model file's `training:` section into the settings the trainer loop runs with,
// taking every default from the section metadata (src/analysis/sections.json). The analysis
// has already reported out-of-range values as diagnostics; values that still do not fit fall
// back to the default here rather than throwing.
import type { ModelSpec } from '../model/types';
import { sectionMeta } from '../analysis/layers';

export type MonitorMode = 'min' | 'max';

export interface EarlyStoppingConfig {
  /** `loss`, `val_loss`, `<metric>` or `val_<metric>`. */
  monitor: string;
  patience: number;
  minDelta: number;
  mode: MonitorMode;
}

export interface RunConfig {
  epochs: number;
  /** Samples per micro-batch as written (`batch_size`). */
  batchSize: number;
  seed: number;
  validationSplit: number;
  testSplit: number;
  /** Micro-batches per optimizer update as written (`accumulate`). */
  accumulate: number;
  /** `memory_budget_mb` when written. */
  memoryBudgetMb?: number;
  earlyStopping?: EarlyStoppingConfig;
}

const trainingMeta = sectionMeta.training.params;
const earlyMeta = sectionMeta.early_stopping.params;

function num(value: unknown, meta: { default?: unknown; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }, integer: boolean, fallback: number): number {
  const def = typeof meta.default === 'number' ? meta.default : fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) return def;
  if (integer && !Number.isInteger(value)) return def;
  if (meta.min !== undefined && (meta.exclusiveMin ? value <= meta.min : value < meta.min)) return def;
  if (meta.max !== undefined && (meta.exclusiveMax ? value >= meta.max : value > meta.max)) return def;
  return value;
}

/** `max` for accuracy-like quantities, `min` for losses and errors. */
export function autoMode(monitor: string): MonitorMode {
  return /acc|auc|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

export function resolveRunConfig(model: ModelSpec): RunConfig {
  const p = model.training?.params ?? {};
  const v = (key: string) => p[key]?.value;
  const config: RunConfig = {
    epochs: num(v('epochs'), trainingMeta.epochs, true, 10),
    batchSize: num(v('batch_size'), trainingMeta.batch_size, true, 32),
    seed: num(v('seed'), trainingMeta.seed, true, 0),
    validationSplit: num(v('validation_split'), trainingMeta.validation_split, false, 0.2),
    testSplit: num(v('test_split'), trainingMeta.test_split, false, 0),
    accumulate: num(v('accumulate'), trainingMeta.accumulate, true, 1),
  };
  const budget = v('memory_budget_mb');
  if (typeof budget === 'number' && Number.isFinite(budget) && budget > 0) config.memoryBudgetMb = budget;
  const es = v('early_stopping');
  if (es !== undefined && es !== null && es !== false) {
    const e = (typeof es === 'object' ? es : {}) as Record<string, unknown>;
    const monitor = typeof e.monitor === 'string' && e.monitor ? e.monitor : String(earlyMeta.monitor.default ?? 'val_loss');
    const mode = e.mode === 'min' || e.mode === 'max' ? e.mode : autoMode(monitor);
    config.earlyStopping = {
      monitor,
      patience: num(e.patience, earlyMeta.patience, true, 5),
      minDelta: num(e.min_delta, earlyMeta.min_delta, false, 0),
      mode,
    };
  }
  return config;
}
