// The bench's memory figures: the MLP trained for 400 updates in a child process of its own, the
// way the trainer runs it (its runner and updates per run, batches drawn from a training set
// loaded before anything is measured, its minor GC after every run, a turn of the event loop
// between runs), and its peak RSS growth against the model + batch working set. Long enough for
// the peak to settle: without the trainer's GC it kept growing for 20 runs. onnxruntime's one-time environment is paid first, with a trivial
// session kept alive, and reported apart: it is the runtime's cost, the same whatever the model.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import type { ModelSummary } from '../analysis/types';
import { analyzeModel } from '../analysis/analyze';
import { compileModel } from '../compiler/compile';
import { initParams } from '../compiler/init';
import type { CompiledModel } from '../compiler/types';
import { DEFAULT_MEMORY_BUDGET_MB, planBatches } from '../engine/batch-plan';
import { identityOrder, makeBatch, planFeeds, sampleTensors, type FeedMap } from '../engine/feeds';
import { initialState } from '../engine/model-values';
import { ort } from '../engine/ort';
import { coreCount, createSession } from '../engine/providers';
import { makeRunner, type TrainRunner } from '../engine/run-setup';
import { batchesByRow, FusedStepRunner } from '../engine/step-runner';
import type { Dataset } from '../engine/data/types';
import { collectYoungGarbage } from '../engine/young-gc';
import { mlp } from './networks';

/** How the child trains: as the trainer does (Loop runs), or on the single train step (as the trainer does under a tight memory budget); `-nogc`: without the trainer's minor GC after every run. */
export type MemoryMode = 'trainer' | 'single' | 'trainer-nogc';
export const MEMORY_MODES: MemoryMode[] = ['trainer', 'single', 'trainer-nogc'];

export const MEMORY_UPDATES = 400;
const TRIVIAL_MODEL = 'layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: y, type: Dense, units: 2}\nloss: cross_entropy\n';

export interface MemoryResult {
  mode: MemoryMode;
  /**
   * onnxruntime's one-time environment (thread pools, kernel registry), paid with a process's
   * first session whatever its model: the peak RSS growth from a trivial 2-unit Dense model's.
   */
  runtime: number;
  /** The run's peak RSS growth after that: its session, batches, dead output buffers, onnxruntime's arena. */
  peakDelta: number;
  /** The part of it reached once the run's session existed, before the first update. */
  session: number;
  /** ... and once the first run (which sizes onnxruntime's arena) was done. */
  firstRun: number;
  workingSet: number;
  /** Updates per graph run. */
  stepsPerRun: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Weights + gradients + optimizer state, plus the activations of a batch kept for backward. */
export function workingSetBytes(summary: ModelSummary, compiled: Pick<CompiledModel, 'params' | 'state'>, batch: number): number {
  const paramCount = compiled.params.reduce((n, p) => n + size(p.shape), 0);
  const stateCount = compiled.state.reduce((n, s) => n + size(s.shape), 0);
  return 4 * (2 * paramCount + stateCount) + 2 * summary.totalActivationBytes * batch;
}

/** Samples in the synthetic training set: 16 batches, one Loop run's worth; the updates cycle through it. */
const DATA_SAMPLES = 16 * mlp.batch;

/** The synthetic training set, loaded before anything is measured (the data, not the run). */
function syntheticData(compiled: CompiledModel): Dataset {
  const feature = compiled.trainIO.features[0];
  const x = new Float32Array(DATA_SAMPLES * size(feature.shape));
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
  const y = Int32Array.from({ length: DATA_SAMPLES }, (_, i) => i % 10);
  return { name: 'synthetic', x, sampleShape: feature.shape, y, labelShape: [], numClasses: 10, count: DATA_SAMPLES };
}

/** Child-process mode: one 400-update run, its figures printed as one JSON line. */
export async function memoryChild(mode: MemoryMode): Promise<void> {
  const analysis = analyzeModel(mlp.text);
  const compiled = compileModel(analysis.summary!, analysis.model!);
  const trivial = analyzeModel(TRIVIAL_MODEL);
  const trivialTrain = compileModel(trivial.summary!, trivial.model!).train;
  const data = syntheticData(compiled);
  const feedPlan = planFeeds(compiled.trainIO.features, compiled.trainIO.labels, data, () => undefined);
  const order = identityOrder(data.count);
  const values = { params: initParams(compiled.params, 1), state: initialState(compiled) };
  const collect = mode.endsWith('-nogc') ? undefined : collectYoungGarbage;
  const settings = { provider: 'cpu' as const, threads: coreCount() };
  const maxRss = peakRss;
  void ort.Tensor; // the native module is loaded before anything is measured
  const before = maxRss();
  const runtimeSession = await createSession(trivialTrain, settings, 'trivial');
  const loaded = maxRss();
  let made: TrainRunner;
  if (mode.startsWith('single')) {
    made = { runner: new FusedStepRunner(compiled, (await createSession(compiled.train, settings, 'train step')).session, values.params, values.state), maxStepsPerRun: 1 };
  } else {
    const plan = planBatches(analysis.summary!, compiled, mlp.batch, 1, DEFAULT_MEMORY_BUDGET_MB);
    made = await makeRunner(compiled, analysis.summary!, plan, values, async (bytes, what) => (await createSession(bytes, settings, what)).session);
  }
  const ready = maxRss();
  // The trainer's run length follows the measured time per update up to this limit, which this
  // model's few-millisecond updates reach within a few runs.
  const k = made.maxStepsPerRun;
  let firstRun = 0;
  let samples: FeedMap | undefined;
  for (let done = 0; done < MEMORY_UPDATES; ) {
    await new Promise<void>((r) => setImmediate(r));
    const count = Math.min(k, MEMORY_UPDATES - done, (data.count - ((done * mlp.batch) % data.count)) / mlp.batch);
    const start = (done * mlp.batch) % data.count;
    const numbers = Array.from({ length: count }, (_, i) => done + 1 + i);
    let bad;
    if (count > 1 && made.runner.steps) {
      // As the trainer: the training split's sample tensors, made once, and this run's rows.
      samples ??= sampleTensors(feedPlan, data);
      bad = (await made.runner.steps(batchesByRow(samples, order, start, count, mlp.batch), numbers.map(() => 1e-3), numbers, numbers.map((n) => BigInt(n)))).nonFinite;
    } else {
      bad = (await made.runner.step([makeBatch(feedPlan, data, order, start, start + mlp.batch)], 1e-3, numbers[0], [BigInt(numbers[0])])).nonFinite;
    }
    if (bad) throw new Error(`bench run went non-finite in ${bad.where}`);
    collect?.();
    done += count;
    firstRun ||= maxRss() - loaded;
  }
  const result: MemoryResult = { mode, runtime: loaded - before, peakDelta: maxRss() - loaded, session: ready - loaded, firstRun, workingSet: workingSetBytes(analysis.summary!, compiled, mlp.batch), stepsPerRun: k };
  process.stdout.write(JSON.stringify(result) + '\n');
  await runtimeSession.session.release();
}

/**
 * The process's peak resident set so far, in bytes. On Linux from /proc's VmHWM, which starts
 * afresh with this program: getrusage's maxRSS is carried over from the parent through fork and
 * exec, so a child started by a big bench process would read the parent's peak, not its own.
 */
export function peakRss(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Runs the child (this script again with `--memory-child <mode>`) and reads its figures. */
export function measureMemory(mode: MemoryMode): MemoryResult {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-child', mode], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as MemoryResult;
}
