// The in-memory form every data source produces, and the context loaders run in.

export interface Dataset {
  name: string;
  /** Features, row-major, one sample after another: Float32Array (or BigInt64Array for token ids). */
  x: Float32Array | BigInt64Array;
  /** Per-sample feature shape, channels-first ([2], [1, 8, 8], [1, 28, 28], [T]). */
  sampleShape: number[];
  /** Labels: class indices (Int32Array) for classification, or Float32Array targets [n, k] for regression. */
  y: Int32Array | Float32Array;
  /** [] for class indices, [k] for regression targets. */
  labelShape: number[];
  numClasses?: number;
  classNames?: string[];
  /** Optional per-sample object masks (shapes set): Uint8Array [n, H, W], 1 inside the object. */
  masks?: Uint8Array;
  /** For token-id features: ids are in [0, vocabSize), so an Embedding needs `vocab_size >= vocabSize`. */
  vocabSize?: number;
  /** For tokenized text: the token of each id (`<pad>` = 0, `<unk>` = 1, then by training-split frequency). */
  vocabulary?: string[];
  count: number;
}

/** Where a loader runs: paths in the spec resolve against `baseDir` and must stay inside `workspaceRoot`. */
export interface LoadContext {
  workspaceRoot: string;
  /** Folder relative paths resolve against: the model file's folder. */
  baseDir: string;
  /** Seed used when the data spec has none (the training seed). Defaults to 0. */
  seed?: number;
  /** Folder holding the bundled data files (digits); found from the package root when omitted. */
  dataDir?: string;
  /**
   * The fractions the run holds out (validation_split, test_split). Loaders that fit something
   * to the data (a text vocabulary) fit it on the training part of the split that split.ts cuts
   * with `seed`, the one the run uses; without it, every sample counts as training data.
   */
  holdOut?: { validation: number; test: number };
}

export type LoadResult = { ok: true; dataset: Dataset } | { ok: false; message: string };

/** Elements per sample for a per-sample shape ([] counts as one element). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
