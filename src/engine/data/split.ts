// Train / validation / test splits by fraction, after a seeded shuffle, and extraction of a
// subset of samples as a Dataset of its own.
import { Rng } from './rng';
import { shapeSize, type Dataset } from './types';

export interface SplitFractions {
  /** Share of samples held out for validation, in [0, 1). */
  validation?: number;
  /** Share of samples held out for the final test, in [0, 1). */
  test?: number;
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export type SplitResult = { ok: true; split: Split } | { ok: false; message: string };

/** Samples a non-zero fraction gets: rounded, but at least one. */
function share(count: number, fraction: number): number {
  return fraction > 0 ? Math.max(1, Math.round(count * fraction)) : 0;
}

/**
 * Shuffles 0..count-1 with `seed` (its own stream, so the split does not depend on other draws)
 * and cuts it into train, validation and test parts. With `shuffle: false` the parts are
 * contiguous in file order (test last), for data whose order matters.
 */
export function splitIndices(count: number, fractions: SplitFractions, seed: number, shuffle = true): SplitResult {
  const validation = fractions.validation ?? 0;
  const test = fractions.test ?? 0;
  for (const [name, f] of [['validation_split', validation], ['test_split', test]] as const) {
    if (!Number.isFinite(f) || f < 0 || f >= 1) return { ok: false, message: `${name} must be a fraction in [0, 1), got ${f}` };
  }
  if (validation + test >= 1) return { ok: false, message: `validation_split + test_split must be below 1 to leave training data, got ${validation + test}` };
  const nValidation = share(count, validation);
  const nTest = share(count, test);
  const nTrain = count - nValidation - nTest;
  if (nTrain < 1) {
    return { ok: false, message: `the data set has ${count} samples: too few to hold out ${nValidation} for validation and ${nTest} for test and still train` };
  }
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (shuffle) Rng.derive(seed, 'split').shuffle(order);
  return {
    ok: true,
    split: {
      train: order.slice(0, nTrain),
      validation: order.slice(nTrain, nTrain + nValidation),
      test: order.slice(nTrain + nValidation),
    },
  };
}

/** The samples at `indices` (in that order) as a new Dataset; arrays are copied. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const n = indices.length;
  const f = shapeSize(dataset.sampleShape);
  const k = shapeSize(dataset.labelShape);
  const x = dataset.x instanceof BigInt64Array ? new BigInt64Array(n * f) : new Float32Array(n * f);
  const y = dataset.y instanceof Int32Array ? new Int32Array(n * k) : new Float32Array(n * k);
  const maskSize = dataset.masks === undefined ? 0 : dataset.masks.length / dataset.count;
  const masks = dataset.masks === undefined ? undefined : new Uint8Array(n * maskSize);
  for (let i = 0; i < n; i++) {
    const s = indices[i];
    if (!Number.isInteger(s) || s < 0 || s >= dataset.count) throw new RangeError(`subset: sample index ${s} outside 0..${dataset.count - 1}`);
    (x as Float32Array).set((dataset.x as Float32Array).subarray(s * f, (s + 1) * f), i * f);
    y.set(dataset.y.subarray(s * k, (s + 1) * k) as Int32Array & Float32Array, i * k);
    if (masks !== undefined) masks.set(dataset.masks!.subarray(s * maskSize, (s + 1) * maskSize), i * maskSize);
  }
  return { ...dataset, x, y, count: n, ...(masks === undefined ? {} : { masks }) };
}
