// The messages exchanged between a host (the VS Code extension or the CLI) and the training
// worker process. Hosts send requests with ids; the worker answers each with one `response`
// carrying the same id, and streams events (progress, warnings, checkpoints) in between.
// Everything here is plain JSON so it crosses `child_process` IPC unchanged.
import type { ExplainIndexResult, ExplainOptions, ExplainResult } from '../explain/types';

/** Execution providers a host may ask for; `auto` lets the engine pick the best available. */
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'auto';

/** Options shared by every request that builds ORT sessions. */
export interface SessionRequestOptions {
  /** Execution provider; default `cpu`. */
  provider?: ProviderName;
  /** Intra-op threads; default: the number of cores. */
  threads?: number;
  /** Folder every checkpoint, data and export path must stay inside; default: the worker's cwd. */
  workspace?: string;
}

export interface TrainOptions extends SessionRequestOptions {
  /** Overrides `training.epochs` (total epochs of the run, counted from epoch 1 even on resume). */
  epochs?: number;
  /** Checkpoint to continue from. */
  resume?: string;
  /** Where config.json, metrics.jsonl and the checkpoints go; default `.layerwise/runs/<model>/<timestamp>/`. */
  runDir?: string;
  /** Memory budget used when `training.memory_budget_mb` is absent; default 2048. */
  memoryBudgetMb?: number;
  /** Most step events per second; default 10. */
  maxStepEventsPerSecond?: number;
  /** Seconds between gradient statistics events; default 1. */
  gradStatsIntervalSeconds?: number;
  /**
   * Seconds between `histograms` events (each costs one extra gradient pass over the current
   * batch); absent or 0: none.
   */
  histogramIntervalSeconds?: number;
}

interface ModelRequest {
  /** Path of the model file (for messages and relative data paths). */
  modelPath: string;
  /** Its current text (the editor buffer may be unsaved). */
  text: string;
}

export type Request =
  | ({ type: 'train'; options: TrainOptions } & ModelRequest & { id: number })
  | { id: number; type: 'pause' }
  | { id: number; type: 'resume' }
  | { id: number; type: 'stop' }
  | ({ id: number; type: 'eval'; checkpoint: string; split: EvalSplit; options: SessionRequestOptions } & ModelRequest)
  | ({ id: number; type: 'export'; checkpoint: string; out: string; options: SessionRequestOptions } & ModelRequest)
  | ({ id: number; type: 'grad'; checkpoint?: string; batch: number; seed: number; outDir: string; options: SessionRequestOptions } & ModelRequest)
  /**
   * Attributions of one sample (`sample`-th of `split`, default validation), or of `input` (one
   * input's values in the data's own units, flat), with predictions and trust checks; without
   * `checkpoint`, the initial weights.
   */
  | ({ id: number; type: 'explain'; checkpoint?: string; split?: EvalSplit; sample?: number; input?: number[]; explain: ExplainOptions; options: SessionRequestOptions } & ModelRequest)
  /** The model's prediction for every sample of `split` (default validation), for choosing what to explain. */
  | ({ id: number; type: 'explainIndex'; checkpoint?: string; split?: EvalSplit; options: SessionRequestOptions } & ModelRequest)
  | { id: number; type: 'shutdown' };

export type RequestType = Request['type'];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request as the host writes it, before the client assigns the id. */
export type RequestBody = DistributiveOmit<Request, 'id'>;

export type EvalSplit = 'train' | 'validation' | 'test';

/** Loss and metric values (metric name → mean over the samples). */
export type Metrics = Record<string, number>;

/** Results, by request type. */
export interface TrainResult {
  reason: DoneReason;
  runDir: string;
  /** Epochs completed. */
  epochs: number;
  best?: BestResult;
  /** Path of the last checkpoint written. */
  last?: string;
  /** Final numbers on the test split, when `training.test_split` holds some data out. */
  test?: { loss: number; metrics: Metrics; samples: number };
}
export interface EvalResult {
  split: EvalSplit;
  samples: number;
  loss: number;
  metrics: Metrics;
}
export interface ExportResult {
  path: string;
  bytes: number;
  /** Largest absolute difference between the exported model's outputs and the eval graph's. */
  maxAbsDiff: number;
  samples: number;
}
export interface GradResult {
  outDir: string;
  files: string[];
  loss: number;
  /** Samples in the batch (the requested count, or the whole training split when smaller). */
  samples: number;
  /** Per recurrent layer, the gradient norm at each time step of its input on this batch. */
  timeSteps?: TimeStepGradNorms[];
}
export interface ControlResult {
  /** Whether a training run was there to receive the command. */
  applied: boolean;
}

export interface ResultByType {
  train: TrainResult;
  pause: ControlResult;
  resume: ControlResult;
  stop: ControlResult;
  eval: EvalResult;
  export: ExportResult;
  grad: GradResult;
  explain: ExplainResult;
  explainIndex: ExplainIndexResult;
  shutdown: ControlResult;
}

export type DoneReason = 'completed' | 'stopped' | 'early_stopping' | 'nonfinite';

export interface BestResult {
  epoch: number;
  /** The monitored quantity (`val_loss`, `val_accuracy`, `loss` ...) and its value. */
  monitor: string;
  value: number;
  loss: number;
  metrics: Metrics;
  valLoss?: number;
  valMetrics?: Metrics;
  checkpoint?: string;
}

/** A problem in the model source, already positioned (1-based line and column). */
export interface SourceProblem {
  severity: 'error' | 'warning' | 'info' | 'hint';
  line: number;
  col: number;
  message: string;
  code: string;
  layer?: string;
}

/** Machine-readable error codes. */
export type ErrorCode =
  | 'invalid_model'
  | 'compile_failed'
  | 'data_failed'
  | 'checkpoint_invalid'
  | 'checkpoint_mismatch'
  | 'path_outside_workspace'
  | 'io_failed'
  | 'session_failed'
  | 'busy'
  | 'bad_request'
  | 'export_mismatch'
  | 'timeout'
  | 'worker_crashed'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  col?: number;
  layer?: string;
  /** For `invalid_model`: every error diagnostic of the model. */
  problems?: SourceProblem[];
}

export type WarningCode =
  /** A provider failed to create a session; the CPU is used instead. */
  | 'provider_fallback'
  /** Batches are split into accumulated micro-batches to fit the memory budget. */
  | 'accumulation'
  /** The model file or seed differs from the checkpoint being resumed. */
  | 'model_changed'
  /** A warning diagnostic of the model file (hosts that show diagnostics themselves may skip these). */
  | 'model_warning'
  /** `early_stopping.monitor` names a number the run does not report; another is used. */
  | 'monitor_unavailable';

/** Events the worker streams; `run` is the id of the request that produced them. */
export type EngineEvent =
  | { type: 'ready'; pid: number; versions: { node: string; onnxruntime: string } }
  | { type: 'started'; run: number; model: string; provider: string; providerReason: string; runDir: string; epochs: number; startEpoch: number; stepsPerEpoch: number; trainSamples: number; validationSamples: number; testSamples: number; batchSize: number; microBatch: number; accumulate: number; params: number }
  /** `loss` and `metrics` are running means over the epoch so far; `batchLoss` is this step's. */
  | { type: 'step'; run: number; epoch: number; step: number; stepInEpoch: number; stepsPerEpoch: number; loss: number; batchLoss: number; metrics: Metrics; lr: number; samplesPerSec: number }
  | { type: 'epochEnd'; run: number; epoch: number; epochs: number; loss: number; metrics: Metrics; valLoss?: number; valMetrics?: Metrics; lr: number; seconds: number }
  | { type: 'gradStats'; run: number; step: number; globalGradNorm: number; params: GradStat[]; timeSteps?: TimeStepGradNorms[] }
  /** Value distributions of each trainable tensor and of its gradient on the current batch. */
  | { type: 'histograms'; run: number; step: number; params: ParamHistogram[] }
  | { type: 'warning'; run?: number; code: WarningCode; message: string; layer?: string }
  | { type: 'checkpoint'; run: number; path: string; kind: 'best' | 'last'; epoch: number; step: number }
  | { type: 'paused'; run: number; step: number }
  | { type: 'resumed'; run: number; step: number }
  /** `epochs`: epochs completed; `layer`: the layer blamed for NaN/Inf; `test`: final numbers on the test split. */
  | { type: 'done'; run: number; reason: DoneReason; message: string; best?: BestResult; epochs: number; layer?: string; test?: { loss: number; metrics: Metrics; samples: number } }
  | { type: 'error'; run?: number; error: ErrorInfo };

export interface GradStat {
  /** Param tensor name (`conv1.weight`). */
  name: string;
  layer: string;
  param: string;
  gradNorm: number;
  weightNorm: number;
  updateRatio: number;
  /** Mean |gradient| over the tensor's elements (before clipping). */
  gradMeanAbs?: number;
  /** Element count of the tensor: the weight of `gradMeanAbs` when a layer's tensors are combined. */
  elements?: number;
}

/** Counts of values in `bins` equal-width bins spanning [min, max]; non-finite values counted apart. */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
  /** Mean absolute value of the finite values. */
  meanAbs: number;
  nonFinite: number;
}

export interface ParamHistogram {
  name: string;
  layer: string;
  param: string;
  gradient: Histogram;
  weight: Histogram;
}

/**
 * One recurrent layer's gradient through time: `norms[t]` is the L2 norm (over the batch and the
 * features) of d loss / d (the layer's input at step t). Vanishing gradients show as early steps
 * orders of magnitude below the last.
 */
export interface TimeStepGradNorms {
  layer: string;
  norms: number[];
}

export type EngineEventType = EngineEvent['type'];

export interface ResponseMessage {
  type: 'response';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: ErrorInfo;
}

/** Everything the worker sends. */
export type WorkerMessage = ({ kind: 'event' } & { event: EngineEvent }) | ({ kind: 'response' } & ResponseMessage);

export function isRequest(v: unknown): v is Request {
  if (!v || typeof v !== 'object') return false;
  const r = v as { id?: unknown; type?: unknown };
  return typeof r.id === 'number' && typeof r.type === 'string';
}

export function isWorkerMessage(v: unknown): v is WorkerMessage {
  if (!v || typeof v !== 'object') return false;
  const m = v as { kind?: unknown };
  return m.kind === 'event' || m.kind === 'response';
}
