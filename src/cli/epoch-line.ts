// The text the CLI prints while training: one line per epoch,
//   Epoch 1/50 - Loss: 2.5401 - Accuracy: 0.2310 - Val Loss: 2.4012 - Val Accuracy: 0.2500 - 1.2s
// and, on a terminal, a progress bar for the epoch in progress.
import type { Metrics } from '../engine/protocol';

const LABELS: Record<string, string> = {
  loss: 'Loss',
  accuracy: 'Accuracy',
  top5_accuracy: 'Top-5 Accuracy',
  mae: 'MAE',
  mse: 'MSE',
};

/** `val_accuracy` -> `Val Accuracy`, `top5_accuracy` -> `Top-5 Accuracy`. */
export function metricLabel(name: string): string {
  if (name.startsWith('val_')) return `Val ${metricLabel(name.slice(4))}`;
  if (LABELS[name]) return LABELS[name];
  return name
    .split('_')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

export function formatNumber(v: number | undefined): string {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  return v.toFixed(4);
}

export function formatSeconds(s: number): string {
  return `${s.toFixed(1)}s`;
}

export interface EpochNumbers {
  epoch: number;
  epochs: number;
  loss: number;
  metrics: Metrics;
  valLoss?: number;
  valMetrics?: Metrics;
  seconds: number;
}

/** The metric part: `Loss: 0.1234 - Accuracy: 0.9500 - Val Loss: ... - Val Accuracy: ...`. */
export function formatNumbers(loss: number, metrics: Metrics, valLoss?: number, valMetrics?: Metrics, prefix = ''): string {
  const parts = [`${prefix}${metricLabel('loss')}: ${formatNumber(loss)}`];
  for (const [k, v] of Object.entries(metrics)) parts.push(`${prefix}${metricLabel(k)}: ${formatNumber(v)}`);
  if (valLoss !== undefined) {
    parts.push(`Val Loss: ${formatNumber(valLoss)}`);
    for (const [k, v] of Object.entries(valMetrics ?? {})) parts.push(`${metricLabel(`val_${k}`)}: ${formatNumber(v)}`);
  }
  return parts.join(' - ');
}

export function formatEpochLine(e: EpochNumbers): string {
  return `Epoch ${e.epoch}/${e.epochs} - ${formatNumbers(e.loss, e.metrics, e.valLoss, e.valMetrics)} - ${formatSeconds(e.seconds)}`;
}

/** `  37/45 [=======================>    ] - Loss: 0.3127 - Accuracy: 0.9021` sized to `width` columns. */
export function formatProgress(done: number, total: number, loss: number, metrics: Metrics, width: number): string {
  const counter = `${String(done).padStart(String(total).length)}/${total}`;
  const numbers = formatNumbers(loss, metrics);
  const barWidth = Math.max(10, Math.min(30, width - counter.length - numbers.length - 8));
  const filled = total > 0 ? Math.min(barWidth, Math.floor((done / total) * barWidth)) : 0;
  const bar = done >= total ? '='.repeat(barWidth) : '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(barWidth - filled);
  const line = `${counter} [${bar}] - ${numbers}`;
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
}
