// The contract between the compiler and the engine (worker, trainer loop, checkpoints, CLI).
// The compiler turns an analysed model into three ONNX models: a train step (forward, loss,
// backward, clipping, optimizer update and statistics in one graph), an eval model and, on
// demand, a self-contained export. The engine owns every tensor value and feeds them in; the
// graphs are pure functions of their inputs, so a resumed run is bit-identical.
// "float32" below means the compile precision: float64 only when `CompileOptions.precision` says so.
import type { ModelSpec } from '../model/types';
import type { ModelSummary, ParamInfo, Shape } from '../analysis/types';

/** One parameter tensor of the model (trainable weight or running statistic). */
export interface ParamTensor {
  /** `<layerId>.<param>`, e.g. `conv1.weight`; also the train/eval model input name. */
  name: string;
  /** Id of the layer that owns it. */
  layer: string;
  /** Short name within the layer: `weight`, `bias`, `gamma`, `beta`, `running_mean`, `running_var`. */
  param: string;
  shape: number[];
  /** False for running statistics: updated by the forward pass in train mode, never by the optimizer. */
  trainable: boolean;
  /** Initialiser, with the fan-in/fan-out it uses (see `initParams` in init.ts). */
  init: ParamInfo['init'];
  fanIn: number;
  fanOut: number;
}

/** One optimizer state tensor (momentum buffer, Adam moments ...), one per trainable param and slot. */
export interface StateTensor {
  /** `opt.<param name>.<slot>`, e.g. `opt.conv1.weight.m`; also the train model input name. */
  name: string;
  /** The `ParamTensor.name` it belongs to. */
  param: string;
  /** `momentum` (SGD), `m`/`v` (Adam, AdamW), `sq` (RMSprop squared-gradient average). */
  slot: string;
  shape: number[];
  /** Every element starts at this value. */
  fill: number;
}

/** A model input fed with data: one per Input layer. */
export interface FeatureInput {
  /** Input name in the ONNX models (the Input layer id). */
  name: string;
  /** Input layer id. */
  layer: string;
  dtype: 'float32' | 'float64' | 'int64';
  /** Per-sample shape; the fed tensor is [N, ...shape]. */
  shape: Shape;
}

/** The labels input: class indices, dense targets (one-hot / soft / regression) per loss. */
export interface LabelInput {
  name: string;
  /** int64 for class indices; else the compile precision (float32 unless `precision: float64`). */
  dtype: 'float32' | 'float64' | 'int64';
  /** Per-sample shape ([] for class indices); the fed tensor is [N, ...shape]. */
  shape: Shape;
}

/** A metric the graphs compute as a sum over the batch; the engine divides by the sample count. */
export interface MetricOutput {
  /** Metric name as written in `metrics:` (`accuracy`, `top5_accuracy`, `mae`, `mse`). */
  metric: string;
  /** Output name: a float scalar, the sum over the batch of the per-sample value (1/0 for accuracy). */
  output: string;
}

/** A pair the engine feeds back: after a step, the value of `output` becomes the next value of `input`. */
export interface Carry {
  /** Input name (a param or state tensor name). */
  input: string;
  /** Output name holding its new value. */
  output: string;
}

export interface TrainStepIO {
  features: FeatureInput[];
  labels: LabelInput;
  /** Every `ParamTensor.name` (trainable and running stats), fed as float32. */
  params: string[];
  /** Every `StateTensor.name`, fed as float32. */
  state: string[];
  /** float32 scalar input: learning rate for this step (from `learningRate`). */
  lr: string;
  /** int64 scalar input: 1-based number of this update (Adam bias correction). */
  step: string;
  /** int64 scalar input: RNG seed for this step (dropout masks), e.g. hash of (run seed, step). */
  seed: string;
  /** float32 scalar output: mean loss over the batch (before the update). */
  loss: string;
  metrics: MetricOutput[];
  /** New values for every param (updated weights, updated running stats) and every state tensor. */
  carries: Carry[];
  /** float32 [P] outputs, P = `statParams.length`, in `statParams` order: L2 norm of each gradient (before clipping) ... */
  gradNorm: string;
  /** ... and of each weight (before the update). */
  weightNorm: string;
  /** ‖Δw‖ / ‖w‖ per parameter (‖w‖ before the update; 0 where ‖w‖ is 0). */
  updateRatio: string;
  /** Trainable param names, the order of the per-parameter statistics. */
  statParams: string[];
  /** float32 scalar output: global L2 norm of all gradients before clipping. */
  globalGradNorm: string;
  /** float32 [P] output, in `statParams` order: mean absolute value of each gradient (before clipping). */
  gradMeanAbs: string;
  /**
   * float32 [L] output, L = `finiteLayers.length`: 1 where the layer's output holds NaN/Inf, 2 where
   * only its parameters' gradients do, 0 otherwise. `firstNonFiniteLayer` (finite.ts) names the culprit.
   */
  nonFinite: string;
  /** Layer ids in forward (topological) order: the index space of `nonFinite`. */
  finiteLayers: string[];
  /** Per recurrent layer, the gradient's norm at each time step of its input (see `TimeGradNorm`). */
  timeGradNorms?: TimeGradNorm[];
}

/**
 * float32 [T] output of a step graph for one recurrent layer (SimpleRNN, LSTM, GRU): element t is
 * the L2 norm, over the batch and the features, of d(batch-mean loss)/d(the layer's input at step
 * t). Early steps far below the last show vanishing gradients through time.
 */
export interface TimeGradNorm {
  layer: string;
  output: string;
}

export interface EvalIO {
  features: FeatureInput[];
  labels: LabelInput;
  /** Every `ParamTensor.name`, fed as float32. */
  params: string[];
  /** Model outputs, one per output layer id, named after the layer id. */
  outputs: { layer: string; output: string }[];
  /** float32 scalar: mean loss over the batch. */
  loss: string;
  metrics: MetricOutput[];
}

/**
 * The gradient step of gradient accumulation (and `layerwise grad`): the train step's forward,
 * loss and backward, without the update. Chained with the apply step it computes the train step.
 */
export interface GradStepIO {
  features: FeatureInput[];
  labels: LabelInput;
  /** Every `ParamTensor.name` (trainable and running statistics). */
  params: string[];
  /** int64 scalar input: RNG seed (dropout masks), as the train step's. */
  seed: string;
  /** float32 scalar output: mean loss over the batch. */
  loss: string;
  metrics: MetricOutput[];
  /** Raw gradient of the batch-mean loss (before clipping and weight decay), one output per trainable param, named `grad.<param>`. */
  grads: { param: string; output: string }[];
  /** New running statistics (BatchNorm), fed back like the train step's carries. */
  updates: Carry[];
  /** float32 [L] codes as `TrainStepIO.nonFinite`, over `finiteLayers`. */
  nonFinite: string;
  finiteLayers: string[];
  /** As `TrainStepIO.timeGradNorms`. */
  timeGradNorms?: TimeGradNorm[];
}

/** The apply step: clipping and the optimizer update for given gradients, with the train step's statistics. */
export interface ApplyStepIO
  extends Pick<TrainStepIO, 'lr' | 'step' | 'carries' | 'gradNorm' | 'weightNorm' | 'updateRatio' | 'statParams' | 'globalGradNorm' | 'gradMeanAbs'> {
  /** Trainable param names (inputs). */
  params: string[];
  /** Every `StateTensor.name` (inputs). */
  state: string[];
  /** Gradient inputs (`grad.<param>`), one per trainable param, shaped like it. */
  grads: { param: string; input: string }[];
  /**
   * float32 [L] codes over `finiteLayers` (the train step's): 2 where a parameter of the layer
   * got a non-finite gradient or new value, else 0 (no forward pass here, so never 1).
   */
  nonFinite: string;
  finiteLayers: string[];
}

/** The two graphs of gradient accumulation, from `compileAccumulation` (compile.ts). */
export interface AccumulationModels {
  /** ONNX bytes of the gradient step (opset 17). */
  grad: Uint8Array;
  gradIO: GradStepIO;
  /** ONNX bytes of the apply step (opset 17). */
  apply: Uint8Array;
  applyIO: ApplyStepIO;
}

export type LossType = 'cross_entropy' | 'binary_cross_entropy' | 'mse' | 'huber';
export type OptimizerType = 'sgd' | 'adam' | 'adamw' | 'rmsprop';
export type ScheduleType = 'constant' | 'step' | 'cosine' | 'linear';

/** `loss:` with defaults applied. */
export interface LossConfig {
  type: LossType;
  /** Cross-entropy only: mixes the target with the uniform distribution. */
  labelSmoothing: number;
  /** Huber only: where the quadratic part turns linear. */
  delta: number;
  /** The output layer id the loss applies to. */
  output: string;
}

/** `optimizer:` with defaults applied. */
export interface OptimizerConfig {
  type: OptimizerType;
  lr: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  /** Adam: second-moment decay; RMSprop: squared-gradient average decay. */
  beta2: number;
  eps: number;
  /** AdamW: decoupled decay; others: L2 penalty added to the gradient. Weights (rank >= 2) only, not biases or norm scales. 0 = off. */
  weightDecay: number;
  /** Global-norm gradient clipping threshold; 0 = off. */
  clipNorm: number;
}

/** `schedule:` with defaults applied (epochs may be fractional: steps / stepsPerEpoch). */
export interface ScheduleConfig {
  type: ScheduleType;
  warmupEpochs: number;
  /** `step`: epochs between decays. */
  stepSize: number;
  /** `step`: decay factor. */
  gamma: number;
  /** Floor for cosine/linear decay. */
  minLr: number;
}

/** Loss, metrics, optimizer and schedule as the compiler resolved them from the model file. */
export interface TrainingConfig {
  loss: LossConfig;
  metrics: string[];
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
}

export interface CompileOptions {
  /** How cross-entropy labels are fed: class indices int64 [N] (default) or float [N, C] probabilities. */
  labels?: 'indices' | 'probabilities';
  /** Element type of float tensors (float64 is for gradient checks in tests). Default float32. */
  precision?: 'float32' | 'float64';
}

export interface CompiledModel {
  config: TrainingConfig;
  params: ParamTensor[];
  state: StateTensor[];
  /** ONNX bytes of the train-step model (opset 17). */
  train: Uint8Array;
  trainIO: TrainStepIO;
  /** ONNX bytes of the eval model (opset 17). */
  eval: Uint8Array;
  evalIO: EvalIO;
  /** What `buildExportModel` needs; opaque to the engine. */
  readonly source: { summary: ModelSummary; options: CompileOptions; name: string };
}

/** Signature of `compileModel` in compile.ts; throws CompileError naming the layer on failure. */
export type CompileModel = (summary: ModelSummary, model: ModelSpec, options?: CompileOptions) => CompiledModel;

/** Per-feature standardisation a run applied to an input: x -> (x - mean) / std, one value per element of a sample. */
export interface InputStandardization {
  mean: Float32Array;
  std: Float32Array;
}

export interface ExportOptions {
  /** By Input layer id: standardisation the run applied to that input, embedded so the export takes raw features. */
  standardize?: Record<string, InputStandardization>;
}

/** Signature of `buildExportModel` in export.ts: eval-mode forward with `weights` (by param name) as initializers, input named after the Input layer, opset 17, IR 8. */
export type BuildExportModel = (compiled: CompiledModel, weights: ReadonlyMap<string, Float32Array>, options?: ExportOptions) => Uint8Array;

/** Signature of `compileAccumulation` in compile.ts: the gradient and apply steps of `compiled`, built on first use and cached. */
export type CompileAccumulation = (compiled: CompiledModel) => AccumulationModels;

/** Signature of `initParams` in init.ts: seeded, deterministic initial values for every param. */
export type InitParams = (params: ParamTensor[], seed: number) => Map<string, Float32Array>;

/** Signature of `learningRate` in schedule.ts: the lr for a 0-based step. */
export type LearningRate = (schedule: ScheduleConfig, optimizer: OptimizerConfig, step: number, stepsPerEpoch: number, epochs: number) => number;
