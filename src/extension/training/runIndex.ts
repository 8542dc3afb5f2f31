// The runs kept under <workspace>/.layerwise/runs/<model>/<timestamp>/ — written by the engine for
// the editor and the CLI alike — read back for the Runs view and the dashboard. Damaged or
// half-written files (a killed run's torn last line) are skipped, never thrown.
import * as fs from 'fs';
import * as path from 'path';
import type { EpochPoint, GradPoint, RunData, StepPoint } from '../../webview-protocol/dashboard';
import { gradPoint, thin, type TensorMeanAbs } from './metricSeries';
import { thresholds } from './thresholds';

export const RUNS_DIR = path.join('.layerwise', 'runs');

export interface RunConfigInfo {
  model?: string;
  modelPath?: string;
  epochs?: number;
  monitor?: { name: string; mode: 'min' | 'max' };
  createdAt?: string;
  resumedFrom?: string;
}

export interface RunRecord {
  /** `<model folder>/<timestamp>`. */
  id: string;
  modelFolder: string;
  timestamp: string;
  dir: string;
  config: RunConfigInfo;
  epochs: EpochPoint[];
  /** Best epoch by the run's monitored quantity, when it reports one. */
  best?: { epoch: number; monitor: string; value: number };
  lastCheckpoint?: string;
  bestCheckpoint?: string;
}

/** The JSON values of the lines of a .jsonl text; lines that do not parse are skipped. */
export function parseJsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn line of a run that was killed while writing.
    }
  }
  return out;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const numbers = (v: unknown): Record<string, number> => (isRecord(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => isNum(x))) as Record<string, number> : {});

export function toEpochPoint(v: unknown): EpochPoint | undefined {
  if (!isRecord(v) || !isNum(v.epoch) || !isNum(v.loss)) return undefined;
  return {
    epoch: v.epoch,
    step: isNum(v.step) ? v.step : undefined,
    loss: v.loss,
    metrics: numbers(v.metrics),
    valLoss: isNum(v.valLoss) ? v.valLoss : undefined,
    valMetrics: isRecord(v.valMetrics) ? numbers(v.valMetrics) : undefined,
    lr: isNum(v.lr) ? v.lr : 0,
    seconds: isNum(v.seconds) ? v.seconds : 0,
  };
}

export function toStepPoint(v: unknown): StepPoint | undefined {
  if (!isRecord(v) || !isNum(v.step) || !isNum(v.loss)) return undefined;
  return {
    step: v.step,
    epoch: isNum(v.epoch) ? v.epoch : 0,
    loss: v.loss,
    batchLoss: isNum(v.batchLoss) ? v.batchLoss : v.loss,
    metrics: numbers(v.metrics),
    lr: isNum(v.lr) ? v.lr : 0,
    samplesPerSec: isNum(v.samplesPerSec) ? v.samplesPerSec : 0,
  };
}

/**
 * A grads.jsonl line (see `gradRecord` in the engine's run-dir.ts:
 * `{epoch, step, globalGradNorm, tensors: [[layer, param, elements, gradNorm, gradMeanAbs], ...]}`)
 * as a chart point; malformed tensors are skipped.
 */
export function toGradPoint(v: unknown): GradPoint | undefined {
  if (!isRecord(v) || !isNum(v.step) || !Array.isArray(v.tensors)) return undefined;
  const stats: TensorMeanAbs[] = [];
  for (const t of v.tensors) {
    if (!Array.isArray(t) || typeof t[0] !== 'string' || !isNum(t[2]) || !isNum(t[4])) continue;
    stats.push({ layer: t[0], elements: t[2], gradMeanAbs: t[4] });
  }
  return gradPoint(v.step, stats);
}

function readConfig(dir: string): RunConfigInfo {
  const text = readText(path.join(dir, 'config.json'));
  if (!text) return {};
  try {
    const c = JSON.parse(text) as Record<string, unknown>;
    const m = isRecord(c.monitor) ? c.monitor : undefined;
    return {
      model: typeof c.model === 'string' ? c.model : undefined,
      modelPath: typeof c.modelPath === 'string' ? c.modelPath : undefined,
      epochs: isNum(c.epochs) ? c.epochs : undefined,
      monitor: m && typeof m.name === 'string' && (m.mode === 'min' || m.mode === 'max') ? { name: m.name, mode: m.mode } : undefined,
      createdAt: typeof c.createdAt === 'string' ? c.createdAt : undefined,
      resumedFrom: typeof c.resumedFrom === 'string' ? c.resumedFrom : undefined,
    };
  } catch {
    return {};
  }
}

/** The value `monitor` (`val_loss`, `accuracy`, `val_accuracy` ...) takes in an epoch. */
export function monitorOf(e: EpochPoint, monitor: string): number | undefined {
  if (monitor === 'loss') return e.loss;
  if (monitor === 'val_loss') return e.valLoss;
  if (monitor.startsWith('val_')) return e.valMetrics?.[monitor.slice(4)];
  return e.metrics[monitor];
}

export function bestEpoch(epochs: readonly EpochPoint[], monitor: { name: string; mode: 'min' | 'max' }): RunRecord['best'] {
  let best: RunRecord['best'];
  for (const e of epochs) {
    const v = monitorOf(e, monitor.name);
    if (v === undefined || !Number.isFinite(v)) continue;
    if (!best || (monitor.mode === 'min' ? v < best.value : v > best.value)) best = { epoch: e.epoch, monitor: monitor.name, value: v };
  }
  return best;
}

export function readRun(dir: string, modelFolder: string, timestamp: string): RunRecord {
  const config = readConfig(dir);
  const epochs = parseJsonLines(readText(path.join(dir, 'metrics.jsonl')) ?? '')
    .map(toEpochPoint)
    .filter((e): e is EpochPoint => e !== undefined);
  const exists = (f: string) => (fs.existsSync(path.join(dir, f)) ? path.join(dir, f) : undefined);
  return {
    id: `${modelFolder}/${timestamp}`,
    modelFolder,
    timestamp,
    dir,
    config,
    epochs,
    best: config.monitor ? bestEpoch(epochs, config.monitor) : undefined,
    lastCheckpoint: exists('last.ckpt'),
    bestCheckpoint: exists('best.ckpt'),
  };
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** Every run of the workspace, newest first. */
export function listRuns(workspace: string): RunRecord[] {
  const root = path.join(workspace, RUNS_DIR);
  const runs: RunRecord[] = [];
  for (const model of subfolders(root)) {
    for (const ts of subfolders(path.join(root, model))) runs.push(readRun(path.join(root, model, ts), model, ts));
  }
  return runs.sort((a, b) => (a.timestamp === b.timestamp ? a.id.localeCompare(b.id) : b.timestamp.localeCompare(a.timestamp)));
}

/** The runs whose config names `modelPath` (or, for runs without one, whose folder is the model's name). */
export function runsOfModel(runs: readonly RunRecord[], modelPath: string, modelName: string): RunRecord[] {
  const norm = path.resolve(modelPath);
  return runs.filter((r) => (r.config.modelPath ? path.resolve(r.config.modelPath) === norm : (r.config.model ?? r.modelFolder) === modelName));
}

/** `2024-05-01T12-30-05` → `2024-05-01 12:30:05` (a `-2` suffix kept). */
export function runLabel(timestamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(.*)$/.exec(timestamp);
  return m ? `${m[1]} ${m[2]}:${m[3]}:${m[4]}${m[5]}` : timestamp;
}

/** `epoch 12/30 · loss 0.0812 · val_accuracy 0.9721 (best 0.9749 @ 10)`. */
export function runDetail(r: RunRecord): string {
  const last = r.epochs[r.epochs.length - 1];
  const planned = r.config.epochs ? `/${r.config.epochs}` : '';
  if (!last) return `no epoch finished${r.lastCheckpoint ? ' (checkpoint kept)' : ''}`;
  const parts = [`epoch ${last.epoch}${planned}`, `loss ${last.loss.toFixed(4)}`];
  if (last.valLoss !== undefined) parts.push(`val_loss ${last.valLoss.toFixed(4)}`);
  for (const [k, v] of Object.entries(last.valMetrics ?? last.metrics)) parts.push(`${last.valMetrics ? 'val_' : ''}${k} ${v.toFixed(4)}`);
  if (r.best) parts.push(`best ${r.best.monitor} ${r.best.value.toFixed(4)} @ ${r.best.epoch}`);
  return parts.join(' · ');
}

/** Whether every planned epoch is done (resuming then needs a larger epoch count). */
export function isComplete(r: RunRecord): boolean {
  const last = r.epochs[r.epochs.length - 1];
  return !!last && r.config.epochs !== undefined && last.epoch >= r.config.epochs;
}

/** The charts' data of a past run: metrics.jsonl, steps.jsonl and grads.jsonl (thinned like a live run's). */
export function readRunData(r: RunRecord): RunData {
  const steps = parseJsonLines(readText(path.join(r.dir, 'steps.jsonl')) ?? '')
    .map(toStepPoint)
    .filter((s): s is StepPoint => s !== undefined);
  const grads = parseJsonLines(readText(path.join(r.dir, 'grads.jsonl')) ?? '')
    .map(toGradPoint)
    .filter((g): g is GradPoint => g !== undefined);
  return { id: r.id, label: runLabel(r.timestamp), steps, epochs: r.epochs, grads: thin(grads, thresholds.series.maxPoints) };
}
