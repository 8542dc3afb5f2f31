// The public shapes of "Explain predictions": what a host asks for (method and options) and what
// the engine answers (attributions, predictions, trust checks). Plain JSON, so they cross the
// worker's IPC unchanged and the webview can import them too (no Node or vscode imports here).

/** Attribution methods; each explains one output of the model for one input sample. */
export type AttributionMethod = 'gradient' | 'gradient_x_input' | 'smoothgrad' | 'integrated_gradients' | 'occlusion';

/** Reference input of Integrated Gradients and the fill of occluded patches. */
export type BaselineKind = 'zeros' | 'blurred' | 'mean';

/**
 * Which output is attributed. `logit`: the score before the final softmax/sigmoid (for
 * regression models, the output value itself). `probability`: after it (classifiers only).
 */
export type AttributedOutput = 'logit' | 'probability';

/** How the input is laid out, which decides how attributions are summarised and drawn. */
export type InputKind =
  /** float [C, H, W]: a heatmap over H x W. */
  | 'image'
  /** float [F]: one bar per feature. */
  | 'tabular'
  /** int64 token ids [T]: one cell per token (attributed through the embedding output). */
  | 'tokens'
  /** any other float shape, e.g. a 1-D signal [C, L]: a map over the last axis. */
  | 'tensor';

export interface MethodOptions {
  method: AttributionMethod;
  /** Integrated Gradients: interpolation steps between baseline and input (midpoint rule). Default 64. */
  steps?: number;
  /** Integrated Gradients and occlusion: the reference input. Default `zeros`. */
  baseline?: BaselineKind;
  /** SmoothGrad: noisy copies of the input averaged. Default 32. */
  samples?: number;
  /** SmoothGrad: noise standard deviation as a fraction of the input's value range (max - min). Default 0.15. */
  noise?: number;
  /** Occlusion: window size along each slid axis (one number for all). Default 4 for images, 1 otherwise. */
  window?: number | number[];
  /** Occlusion: step between windows along each slid axis. Default: half the window, at least 1. */
  stride?: number | number[];
  /** Seed of the SmoothGrad noise. Default 0. */
  seed?: number;
}

export interface ExplainOptions extends MethodOptions {
  /** What is attributed; default `logit`. */
  output?: AttributedOutput;
  /** Index of the attributed output unit (class), flat over the output's per-sample shape; default: the predicted one. */
  target?: number;
  /** Predictions listed in the result; default 5. */
  topK?: number;
  /** Run the model-randomization sanity check; default true (it repeats the method once). */
  randomizationCheck?: boolean;
  /** Seed of the re-initialised weights of the randomization check; default derived from the run seed. */
  randomizationSeed?: number;
}

/** Method options with every default applied, as the engine used them. */
export interface ResolvedMethodOptions {
  method: AttributionMethod;
  steps: number;
  baseline: BaselineKind;
  samples: number;
  noise: number;
  /** One entry per slid axis (see `occlusionAxes`). */
  window: number[];
  stride: number[];
  seed: number;
}

export interface Prediction {
  /** Flat index into the output (the class for a [K] output). */
  index: number;
  /** Class name when the data set has them. */
  name?: string;
  /** The output's pre-squash score (logit), or the value for regression outputs. */
  score: number;
  /** Softmax (cross-entropy) or sigmoid (binary cross-entropy) probability; absent for regression. */
  probability?: number;
}

/** Sum of attributions against the change of the attributed output (Integrated Gradients). */
export interface CompletenessCheck {
  /** f(x): the attributed output at the input. */
  score: number;
  /** f(baseline). */
  baselineScore: number;
  /** Σ attributions. */
  sum: number;
  /** Σ attributions − (f(x) − f(baseline)). */
  gap: number;
  /** |gap| / max(|f(x) − f(baseline)|, 1e-6). */
  relativeGap: number;
  steps: number;
  baseline: BaselineKind;
}

/** Model-randomization sanity check (Adebayo et al., 2018). */
export interface RandomizationCheck {
  /** Spearman rank correlation of |map| between the trained model and the re-initialised one. */
  spearman: number;
  /** The same for the signed map. */
  spearmanSigned: number;
  /** `spearman` at or above this counts as alike. */
  threshold: number;
  /** True when the maps are alike: the explanation reflects the input more than what the model learned. */
  alike: boolean;
  /** Seed of the re-initialised weights. */
  seed: number;
  /** The re-initialised model's map (same layout as `ExplainResult.map`), for side-by-side display. */
  map: number[];
  message: string;
}

/** The data splits a sample can come from. */
export type ExplainSplit = 'train' | 'validation' | 'test';

export interface ExplainResult {
  model: string;
  checkpoint: string;
  /** Split of the sample; absent when the host gave the input values itself. */
  split?: ExplainSplit;
  /** Index of the sample within the split; absent for a given input. */
  sample?: number;
  /** Samples in the split (valid indices are 0 .. count-1); absent for a given input. */
  count?: number;
  /** The sample's label: a class index, or the regression target values. */
  label?: number | number[];
  labelName?: string;
  options: ResolvedMethodOptions;
  output: AttributedOutput;
  input: {
    kind: InputKind;
    /** Per-sample shape of the model input. */
    shape: number[];
    /** The values the model sees (token ids for `tokens`; standardised features for CSV data), flat, row-major. */
    values: number[];
    /** The data's own values when the run standardised them (CSV); else absent. */
    raw?: number[];
    /** True when the host gave these values (`input` of the request) rather than a sample of a split. */
    given?: boolean;
  };
  target: { index: number; name?: string; predicted: boolean };
  /** The top predictions, best first (classifiers by probability; regression outputs in order). */
  predictions: Prediction[];
  /** Whether the model is a classifier (predictions carry probabilities). */
  classifier: boolean;
  /**
   * Attributions, flat, row-major, per element of the input (`input.shape`); for `tokens`, one per
   * token: the embedding-space attributions summed over the embedding dimension (signed methods)
   * or their L2 norm (gradient, smoothgrad).
   */
  attributions: number[];
  /** The map to draw: [H, W] for images (channels combined), else the attributions' own shape. */
  map: number[];
  mapShape: number[];
  /** `signed`: draw with a diverging colormap around 0; `magnitude`: a sequential one. */
  display: 'signed' | 'magnitude';
  /** f(x): the attributed output at the input. */
  score: number;
  completeness?: CompletenessCheck;
  randomization?: RandomizationCheck;
  /** When the data set has object masks (shapes): the mask [H, W] and the share of |map| inside it. */
  mask?: { values: number[]; share: number; attributionMass: number };
  /** Model evaluations (forward or forward+backward, per sample) spent, the check included. */
  evaluations: number;
  seconds: number;
  warnings: string[];
}

/** The model's answer for one sample of a split, for choosing what to explain. */
export interface SamplePrediction {
  /** Index within the split. */
  sample: number;
  /** The class label (classifiers with one class per sample); absent otherwise. */
  label?: number;
  /**
   * The predicted class (classifiers): the output unit with the highest probability, or for a
   * single-unit sigmoid output 1 when its probability is at least 0.5, else 0.
   */
  predicted?: number;
  /** Probability of the predicted class (classifiers). */
  confidence?: number;
  /** Regression models: mean absolute difference between the outputs and the targets. */
  error?: number;
}

/** The `explainIndex` answer: every sample of a split with the model's prediction, in split order. */
export interface ExplainIndexResult {
  model: string;
  checkpoint: string;
  split: ExplainSplit;
  /** Samples in each split (0 where none is held out). */
  splits: Record<ExplainSplit, number>;
  classifier: boolean;
  /** Units of the attributed output (valid explain targets are 0 .. outputSize-1). */
  outputSize: number;
  /** Class names when the data set has them, indexed by class. */
  classNames?: string[];
  input: {
    kind: InputKind;
    /** Per-sample shape of the model input. */
    shape: number[];
    /** Token-id inputs: ids must be below this. */
    vocab?: number;
    /** True when the run standardises the features (CSV data): given inputs are in the data's own units. */
    standardised: boolean;
    /** Smallest and largest value of the training split, in the data's own units (float inputs). */
    range?: [number, number];
  };
  samples: SamplePrediction[];
  /** Share of samples whose predicted class is their label, when every sample has one. */
  accuracy?: number;
  seconds: number;
}
