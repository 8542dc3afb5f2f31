// The folder of one training run: config.json (the resolved configuration), metrics.jsonl (one
// JSON line per epoch, appended as the run goes), steps.jsonl (the step events' numbers, at their
// bounded rate, for charts of past runs), grads.jsonl (the per-tensor gradient statistics, at
// the gradStats events' rate, for past runs' gradient-flow charts) and the best/last checkpoints.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './atomic-write';
import { EngineError } from './errors';
import type { GradStat } from './protocol';

export const RUNS_FOLDER = path.join('.layerwise', 'runs');

/** A name safe as a folder name on every platform. */
export function safeFolderName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
  return cleaned.slice(0, 80) || 'model';
}

/** `2024-05-01T12-30-05` in local time, sortable and valid in file names. */
export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}

/** `<workspace>/.layerwise/runs/<model>/<timestamp>` (with a suffix when that exists already). */
export function defaultRunDir(workspace: string, modelName: string, now = new Date()): string {
  const base = path.join(workspace, RUNS_FOLDER, safeFolderName(modelName), timestamp(now));
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

export class RunFolder {
  readonly best: string;
  readonly last: string;
  readonly config: string;
  readonly metrics: string;
  readonly steps: string;
  readonly grads: string;

  constructor(readonly dir: string) {
    this.best = path.join(dir, 'best.ckpt');
    this.last = path.join(dir, 'last.ckpt');
    this.config = path.join(dir, 'config.json');
    this.metrics = path.join(dir, 'metrics.jsonl');
    this.steps = path.join(dir, 'steps.jsonl');
    this.grads = path.join(dir, 'grads.jsonl');
  }

  create(): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      throw new EngineError('io_failed', `cannot create the run folder ${this.dir}: ${(err as Error).message}`, { file: this.dir });
    }
  }

  writeConfig(config: unknown): void {
    try {
      writeFileAtomic(this.config, Buffer.from(JSON.stringify(config, null, 2) + '\n', 'utf8'));
    } catch (err) {
      throw new EngineError('io_failed', `cannot write ${this.config}: ${(err as Error).message}`, { file: this.config });
    }
  }

  /** Drops metrics.jsonl, steps.jsonl and grads.jsonl records of epochs after `epoch` (when a run resumes from an earlier checkpoint). */
  keepMetricsUpTo(epoch: number): void {
    keepRecordsUpTo(this.metrics, epoch);
    keepRecordsUpTo(this.steps, epoch);
    keepRecordsUpTo(this.grads, epoch);
  }

  appendMetrics(record: unknown): void {
    append(this.metrics, record);
  }

  appendStep(record: unknown): void {
    append(this.steps, record);
  }

  appendGrads(record: unknown): void {
    append(this.grads, record);
  }
}

/**
 * One grads.jsonl line: per trainable tensor `[layer, param, elements, gradNorm, gradMeanAbs]`,
 * numbers at 4 significant digits (plenty for a log-scale chart); non-finite values become null.
 */
export interface GradRecord {
  epoch: number;
  step: number;
  globalGradNorm: number | null;
  tensors: [string, string, number, number | null, number | null][];
}

const short = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? Number(v.toPrecision(4)) : null);

export function gradRecord(epoch: number, step: number, globalGradNorm: number, params: readonly GradStat[]): GradRecord {
  return { epoch, step, globalGradNorm: short(globalGradNorm), tensors: params.map((p) => [p.layer, p.param, p.elements ?? 0, short(p.gradNorm), short(p.gradMeanAbs)]) };
}

function keepRecordsUpTo(file: string, epoch: number): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return; // no records yet
  }
  const kept = text.split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      return (JSON.parse(line) as { epoch?: unknown }).epoch as number <= epoch;
    } catch {
      return false; // a torn last line from a killed run
    }
  });
  writeFileAtomic(file, Buffer.from(kept.map((l) => l + '\n').join(''), 'utf8'));
}

function append(file: string, record: unknown): void {
  try {
    fs.appendFileSync(file, JSON.stringify(record) + '\n', 'utf8');
  } catch (err) {
    throw new EngineError('io_failed', `cannot append to ${file}: ${(err as Error).message}`, { file });
  }
}
