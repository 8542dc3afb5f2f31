// Turns a features array and a labels array (from .npy / .npz files) into a Dataset: int64
// features stay token ids, every other dtype becomes float32; integer and bool labels are
// class indices, float labels regression targets (or classes when asked and integral).
import type { NpyArray } from './npy';
import type { Dataset, LoadResult } from './types';

export type ArrayTask = 'auto' | 'classification' | 'regression';

/** Integer class labels beyond this are almost surely regression targets. */
const MAX_CLASSES = 10000;

function toFloat32(data: NpyArray['data']): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else {
    out.set(data);
  }
  return out;
}

function fail(message: string): LoadResult {
  return { ok: false, message };
}

/**
 * @param xWhere / yWhere name the arrays in messages (a file path, or `file.npz: array "x"`).
 */
export function datasetFromArrays(name: string, x: NpyArray, y: NpyArray, task: ArrayTask, xWhere: string, yWhere: string): LoadResult {
  if (x.shape.length === 0) return fail(`${xWhere}: features must have a sample axis first, got a scalar`);
  const n = x.shape[0];
  if (n === 0) return fail(`${xWhere}: holds no samples (shape (${x.shape.join(', ')}))`);
  if (y.shape.length === 0 || y.shape[0] !== n) {
    return fail(`${yWhere}: labels have shape (${y.shape.join(', ')}) but the features hold ${n} samples; the first axis must match`);
  }
  const sampleShape = x.shape.length === 1 ? [1] : x.shape.slice(1);

  let features: Float32Array | BigInt64Array;
  let vocabSize: number | undefined;
  if (x.data instanceof BigInt64Array) {
    // int64 features are token ids for an Embedding.
    let max = -1n;
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      if (v < 0n) return fail(`${xWhere}: int64 features are read as token ids, but element ${i} is negative (${v}); save floats for numeric features`);
      if (v > max) max = v;
    }
    features = x.data;
    vocabSize = Number(max) + 1;
  } else {
    features = toFloat32(x.data);
  }

  const effective = task === 'auto' ? (y.kind === 'float' ? 'regression' : 'classification') : task;
  const base = { name, x: features, sampleShape, count: n, ...(vocabSize === undefined ? {} : { vocabSize }) };

  if (effective === 'regression') {
    const k = y.shape.slice(1).reduce((a, d) => a * d, 1);
    if (y.shape.length > 2) return fail(`${yWhere}: regression targets must be [n] or [n, k], got shape (${y.shape.join(', ')})`);
    const dataset: Dataset = { ...base, y: toFloat32(y.data), labelShape: [k] };
    return { ok: true, dataset };
  }

  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) {
    return fail(`${yWhere}: class labels must be [n] (one class index per sample), got shape (${y.shape.join(', ')}); for one-hot labels save np.argmax(y, axis=1)`);
  }
  const labels = new Int32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = Number(y.data[i]);
    if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) {
      return fail(`${yWhere}: element ${i} (${String(y.data[i])}) is not a class index in 0..${MAX_CLASSES - 1}${y.kind === 'float' ? '; use task: regression for float targets' : ''}`);
    }
    labels[i] = v;
    if (v > max) max = v;
  }
  const numClasses = y.kind === 'bool' ? 2 : max + 1;
  return { ok: true, dataset: { ...base, y: labels, labelShape: [], numClasses } };
}
