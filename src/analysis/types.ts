// What validation and shape inference say about a model: per layer, its resolved parameters,
// shapes and costs (like Keras `model.summary()`), plus the diagnostics.
import type { Diagnostic, LayerSpec, ModelSpec } from '../model/types';

/**
 * Per-sample tensor shape (the batch dimension is implicit). Images are channels-first
 * ([C, H, W]), sequences are [T, D], token ids are [T].
 */
export type Shape = number[];

export type DType = 'float32' | 'int64';

export interface TensorType {
  shape: Shape;
  dtype: DType;
}

/** A trainable (or running-statistics) tensor a layer owns. */
export interface ParamInfo {
  /** Short name within the layer: `weight`, `bias`, `gamma`, `running_mean`, ... */
  name: string;
  shape: number[];
  /** False for running statistics (BatchNorm mean/var): saved, never updated by the optimizer. */
  trainable: boolean;
  /** How it is initialised by default. */
  init: 'he_normal' | 'he_uniform' | 'glorot_uniform' | 'zeros' | 'ones' | 'normal_0.02' | 'orthogonal';
  /** Fan-in and fan-out used by the initialiser. */
  fanIn: number;
  fanOut: number;
}

export interface LayerInfo {
  spec: LayerSpec;
  /** The layer kind in canonical spelling (`Dense`). */
  kind: string;
  /**
   * Every parameter of the layer with defaults applied and values normalised
   * (e.g. `kernel_size: 3` becomes `[3, 3]` for Conv2D).
   */
  attrs: Record<string, unknown>;
  inputs: TensorType[];
  /** Undefined when shape inference failed for this layer (a diagnostic says why). */
  output?: TensorType;
  params: ParamInfo[];
  paramCount: number;
  /** Multiply-adds counted as 2 FLOPs, per sample, forward pass. */
  flops: number;
  /** Bytes of this layer's output activation per sample (float32 = 4 bytes). */
  activationBytes: number;
}

export interface ModelSummary {
  layers: LayerInfo[];
  /** Output layer ids, in order. */
  outputs: string[];
  totalParams: number;
  trainableParams: number;
  totalFlops: number;
  totalActivationBytes: number;
  /** Bytes of the parameters (float32). */
  paramBytes: number;
}

export interface AnalysisResult {
  model: ModelSpec | null;
  /** Null when the model could not be parsed at all. */
  summary: ModelSummary | null;
  /** Parse diagnostics first, then validation diagnostics, sorted by position. */
  diagnostics: Diagnostic[];
}
