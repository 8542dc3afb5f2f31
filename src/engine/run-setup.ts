// Everything a training run needs before its first step: the compiled model, the starting point
// (fresh or a checkpoint), the data and its split, the batch plan, the ORT sessions on the chosen
// provider, the monitored quantity and the run folder. Problems become EngineErrors or warnings.
import * as path from 'path';
import type { InferenceSession } from 'onnxruntime-node';
import { initParams } from '../compiler/init';
import { compileAccumulation } from '../compiler/compile';
import type { CompiledModel } from '../compiler/types';
import type { ModelSummary } from '../analysis/types';
import { DEFAULT_MEMORY_BUDGET_MB, planBatches, stepMemoryBytes, type BatchPlan } from './batch-plan';
import { readCheckpoint, type TrainingProgress } from './checkpoint';
import { EngineError } from './errors';
import { Evaluator, evalBatchSize } from './evaluator';
import { initialState, valuesFromCheckpoint, type ModelValues } from './model-values';
import { Monitor, monitorNames } from './monitor';
import type { BestResult, EngineEvent, TrainOptions } from './protocol';
import { chooseProvider, createSession, type ConcreteProvider } from './providers';
import { prepareModel, type PreparedModel } from './prepare';
import { autoMode } from './run-config';
import { defaultRunDir, RunFolder } from './run-dir';
import { AccumulatingStepRunner, buildLoopModel, carriedBytes, FusedStepRunner, LoopStepRunner, type LoopModel, type StepRunner } from './step-runner';
import { loadTrainingData, type TrainingData } from './training-data';
import { resolveWorkspacePath, workspaceRoot } from './workspace';

export interface RunSetup {
  prepared: PreparedModel;
  compiled: CompiledModel;
  /** Total epochs of the run (counted from 1, also when resuming). */
  epochs: number;
  seed: number;
  /** Where the run starts: zeros, or the checkpoint's progress. */
  progress: TrainingProgress;
  best?: BestResult;
  data: TrainingData;
  plan: BatchPlan;
  updatesPerEpoch: number;
  runner: StepRunner;
  /** Most updates one run may take (`runner.steps`); 1 where the runner runs one at a time. */
  maxStepsPerRun: number;
  evaluator: Evaluator;
  evalBatch: number;
  monitor: Monitor;
  hasValidation: boolean;
  folder: RunFolder;
  provider: ConcreteProvider;
  providerReason: string;
  /** The checkpoint resumed from, if any. */
  resumedFrom?: string;
}

export interface SetupRequest {
  modelPath: string;
  text: string;
  options: TrainOptions;
}

type Warn = (code: Extract<EngineEvent, { type: 'warning' }>['code'], message: string, layer?: string) => void;

export async function setupRun(req: SetupRequest, warn: Warn): Promise<RunSetup> {
  const options = req.options ?? {};
  const workspace = workspaceRoot(options.workspace);
  const modelPath = path.resolve(workspace, req.modelPath);
  const prepared = prepareModel(modelPath, req.text);
  const { compiled, summary } = prepared;
  for (const w of prepared.warnings.slice(0, 20)) warn('model_warning', `${path.basename(modelPath)}:${w.line}:${w.col}: ${w.message}`, w.layer);

  // The starting point: fresh values, or a checkpoint's.
  let progress: TrainingProgress = { step: 0, epoch: 0, batchInEpoch: 0, epochsWithoutImprovement: 0 };
  let values: ModelValues;
  let seed = prepared.run.seed;
  let resumedFrom: string | undefined;
  if (options.resume) {
    const file = resolveWorkspacePath(workspace, options.resume, 'checkpoint');
    const ckpt = readCheckpoint(file);
    values = valuesFromCheckpoint(compiled, ckpt.tensors, file);
    progress = ckpt.header.progress;
    resumedFrom = file;
    if (ckpt.header.seed !== seed) {
      warn('model_changed', `the checkpoint was trained with seed ${ckpt.header.seed}; continuing with it (the model file now says ${seed})`);
      seed = ckpt.header.seed;
    }
    if (ckpt.header.modelHash !== prepared.hash) {
      warn('model_changed', `${path.basename(modelPath)} changed since ${path.basename(file)} was saved; continuing with the new settings and the saved weights`);
    }
  } else {
    values = { params: initParams(compiled.params, seed), state: initialState(compiled) };
  }
  const epochs = options.epochs ?? prepared.run.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) throw new EngineError('bad_request', `epochs must be a positive integer, got ${epochs}`);

  const data = loadTrainingData(prepared, { workspace, seed });
  const budgetMb = prepared.run.memoryBudgetMb ?? options.memoryBudgetMb ?? DEFAULT_MEMORY_BUDGET_MB;
  const plan = planBatches(summary, compiled, prepared.run.batchSize, prepared.run.accumulate, budgetMb);
  if (plan.autoSplit) {
    warn(
      'accumulation',
      `a batch of ${plan.autoSplit.from} needs about ${Math.ceil((plan.estimateMb * plan.autoSplit.from) / plan.microBatch)} MiB, over the ${plan.budgetMb} MiB budget: ` +
        `each update now runs as ${plan.accumulate} micro-batches of at most ${plan.microBatch} with accumulated gradients (same effective batch of ${plan.updateSize}). ` +
        `Raise training.memory_budget_mb to use larger micro-batches.${plan.overBudget ? ' Even one sample is estimated above the budget.' : ''}`,
    );
  }

  // Sessions; a provider that fails falls back to the CPU for this and later sessions.
  const choice = chooseProvider(options.provider);
  const settings = { provider: choice.provider, threads: options.threads };
  let providerReason = choice.reason;
  const open = async (bytes: Uint8Array, what: string): Promise<InferenceSession> => {
    const s = await createSession(bytes, settings, what);
    if (s.fallback) {
      warn('provider_fallback', s.fallback);
      settings.provider = 'cpu';
      providerReason = `fell back to the CPU: ${s.fallback}`;
    }
    return s.session;
  };
  const { runner, maxStepsPerRun } = await makeRunner(compiled, summary, plan, values, open);
  const evaluator = new Evaluator(compiled, await open(compiled.eval, 'eval'), data.plan);

  // The monitored quantity: early stopping's, else validation loss (training loss without validation).
  const hasValidation = data.validation !== undefined && data.validation.count > 0;
  const es = prepared.run.earlyStopping;
  let monitorName = es?.monitor ?? (hasValidation ? 'val_loss' : 'loss');
  const allowed = monitorNames(compiled.config.metrics, hasValidation);
  if (!allowed.includes(monitorName)) {
    const fallback = hasValidation ? 'val_loss' : 'loss';
    warn('monitor_unavailable', `early_stopping.monitor '${monitorName}' is not reported by this run (it reports ${allowed.join(', ')}); monitoring '${fallback}' instead`);
    monitorName = fallback;
  }
  const monitor = new Monitor(monitorName, es && es.monitor === monitorName ? es.mode : autoMode(monitorName), es?.minDelta ?? 0, {
    best: progress.monitorBest,
    bestEpoch: progress.monitorBestEpoch,
    epochsWithoutImprovement: progress.epochsWithoutImprovement,
  });

  // The run folder: as asked, else the resumed run's own, else a new one.
  const folder = new RunFolder(
    options.runDir ? resolveWorkspacePath(workspace, options.runDir, 'run folder') : resumedFrom ? path.dirname(resumedFrom) : defaultRunDir(workspace, prepared.name),
  );
  folder.create();
  // Continuing a run in its own folder: the epochs after the checkpoint are redone.
  if (resumedFrom) folder.keepMetricsUpTo(progress.epoch);
  const updatesPerEpoch = Math.ceil(data.train.count / plan.updateSize);
  folder.writeConfig({
    model: prepared.name,
    modelPath,
    modelHash: prepared.hash,
    createdAt: new Date().toISOString(),
    resumedFrom,
    seed,
    epochs,
    run: prepared.run,
    training: compiled.config,
    batches: plan,
    stepsPerEpoch: updatesPerEpoch,
    data: data.describe,
    provider: settings.provider,
    providerReason,
    monitor: { name: monitor.name, mode: monitor.mode },
  });

  return {
    prepared,
    compiled,
    epochs,
    seed,
    progress,
    best: progress.best as BestResult | undefined,
    data,
    plan,
    updatesPerEpoch,
    runner,
    maxStepsPerRun,
    evaluator,
    evalBatch: evalBatchSize(plan.microBatch, summary.totalActivationBytes, budgetMb * 1024 * 1024),
    monitor,
    hasValidation,
    folder,
    provider: settings.provider,
    providerReason,
    resumedFrom,
  };
}

type SessionMaker = (bytes: Uint8Array, what: string) => Promise<InferenceSession>;

/** Updates per Loop run at most: past this, per-run costs are already small next to the updates' own. */
export const MAX_STEPS_PER_RUN = 16;

/** Bytes of one sample's row number in a Loop run's input (int64). */
const ROW_BYTES = 8;

/**
 * How many updates one run of the Loop model may stack (0: not even one fits). Measured on the
 * bench MLP, a Loop run holds about two more copies of the params and optimizer state than a
 * single train step (the previous iteration's values and the Loop's outputs), plus what each
 * update adds to the run's inputs (`perUpdate`: the trainer's Loop runs draw their batches by
 * row from the training split, so that is a batch's row numbers). Those must fit in the memory
 * budget next to the step's own estimate, and stay no larger than that estimate, since past it
 * they would rule the run's memory for little more speed.
 */
export function loopStepLimit(stepBytes: number, carried: number, perUpdate: number, budgetBytes: number): number {
  const room = budgetBytes - stepBytes - 2 * carried;
  if (room < perUpdate) return 0;
  const byBudget = Math.floor(room / Math.max(1, perUpdate));
  const byStep = Math.max(1, Math.floor(stepBytes / Math.max(1, perUpdate)));
  return Math.min(MAX_STEPS_PER_RUN, byBudget, byStep);
}

export interface TrainRunner {
  runner: StepRunner;
  maxStepsPerRun: number;
}

/**
 * The fused Loop model when each update is one batch and the Loop fits the memory budget (it
 * runs single updates too, as K = 1); else the single train step; with accumulation, gradient and
 * apply steps. A model whose train step cannot be wrapped in a Loop, or whose Loop session
 * cannot be created, trains with single steps: the same updates, only more runs.
 */
export async function makeRunner(compiled: CompiledModel, summary: ModelSummary, plan: BatchPlan, values: ModelValues, open: SessionMaker): Promise<TrainRunner> {
  if (plan.accumulate <= 1) {
    const limit = loopStepLimit(stepMemoryBytes(summary, compiled, plan.microBatch), carriedBytes(compiled), ROW_BYTES * plan.microBatch, plan.budgetMb * 1024 * 1024);
    if (limit > 0) {
      const loop = await openLoop(compiled, open);
      if (loop) return { runner: new LoopStepRunner(compiled, loop.model, loop.session, values.params, values.state), maxStepsPerRun: limit };
    }
    return { runner: new FusedStepRunner(compiled, await open(compiled.train, 'train step'), values.params, values.state), maxStepsPerRun: 1 };
  }
  const graphs = compileAccumulation(compiled);
  const grad = await open(graphs.grad, 'gradient step');
  const apply = await open(graphs.apply, 'apply step');
  return { runner: new AccumulatingStepRunner(compiled, grad, graphs.gradIO, apply, graphs.applyIO, values.params, values.state), maxStepsPerRun: 1 };
}

async function openLoop(compiled: CompiledModel, open: SessionMaker): Promise<{ model: LoopModel; session: InferenceSession } | undefined> {
  try {
    const model = buildLoopModel(compiled);
    return { model, session: await open(model.model, 'fused train steps') };
  } catch {
    return undefined;
  }
}
