// Mini-batches over a Dataset in a given sample order, copied into typed arrays allocated once
// per iterator: a training loop of thousands of steps makes no garbage per batch. Also the
// one-hot helper for losses that take dense targets.
import { shapeSize, type Dataset } from './types';

/** How labels are laid out in a batch. */
export type LabelFormat =
  /** Class indices as Int32Array [b] (or regression targets as floats [b, k]). */
  | 'index32'
  /** Class indices as BigInt64Array [b], the int64 an ONNX loss takes. */
  | 'index64'
  /** One-hot floats [b, numClasses]. */
  | 'onehot';

export interface BatchOptions {
  batchSize: number;
  /** Drop the last batch when it is smaller than batchSize (default false: keep it). */
  dropLast?: boolean;
  /** Default 'index32'. Regression targets are always floats [b, k]. */
  labels?: LabelFormat;
  /** Element type for float features and float labels (default float32). Token ids stay int64. */
  floatType?: 'float32' | 'float64';
}

export type BatchFeatures = Float32Array | Float64Array | BigInt64Array;
export type BatchLabels = Int32Array | BigInt64Array | Float32Array | Float64Array;

/**
 * The current batch. The same object and the same buffers are handed out on every call to
 * `next()`, overwritten in place: copy what must outlive the step. `x`, `y` and `indices` are
 * exactly `size` samples long (a view onto the full buffers for the last, partial batch).
 */
export interface Batch {
  size: number;
  x: BatchFeatures;
  y: BatchLabels;
  /** The dataset sample index of each row (e.g. to fetch masks). */
  indices: Int32Array;
}

interface Buffers {
  x: BatchFeatures;
  y: BatchLabels;
  indices: Int32Array;
}

export class BatchIterator {
  readonly batchSize: number;
  readonly dropLast: boolean;
  private readonly labelFormat: LabelFormat;
  private readonly featureSize: number;
  private readonly labelSize: number;
  private readonly full: Buffers;
  /** Views of `full` for the partial last batch, made once per order length. */
  private partial: Buffers | undefined;
  private readonly batch: Batch;
  private order: ArrayLike<number>;
  private position = 0;

  /**
   * @param order the sample indices to visit, in order (e.g. a shuffled training split).
   * @throws RangeError for a batch size below 1, a one-hot format without class count, or a
   *   one-hot / int64 format on regression targets (programming errors).
   */
  constructor(private readonly dataset: Dataset, order: ArrayLike<number>, options: BatchOptions) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    this.batchSize = batchSize;
    this.dropLast = options.dropLast ?? false;
    this.labelFormat = options.labels ?? 'index32';
    const regression = !(dataset.y instanceof Int32Array);
    if (regression && this.labelFormat !== 'index32') throw new RangeError(`labels '${this.labelFormat}' need class labels; ${dataset.name} has regression targets`);
    if (this.labelFormat === 'onehot' && !dataset.numClasses) throw new RangeError(`one-hot labels need numClasses; ${dataset.name} has none`);
    this.featureSize = shapeSize(dataset.sampleShape);
    this.labelSize = this.labelFormat === 'onehot' ? dataset.numClasses! : shapeSize(dataset.labelShape);
    const float64 = options.floatType === 'float64';
    const xLength = batchSize * this.featureSize;
    const yLength = batchSize * this.labelSize;
    this.full = {
      x: dataset.x instanceof BigInt64Array ? new BigInt64Array(xLength) : float64 ? new Float64Array(xLength) : new Float32Array(xLength),
      y:
        this.labelFormat === 'index64'
          ? new BigInt64Array(yLength)
          : this.labelFormat === 'onehot' || regression
            ? float64
              ? new Float64Array(yLength)
              : new Float32Array(yLength)
            : new Int32Array(yLength),
      indices: new Int32Array(batchSize),
    };
    this.batch = { size: 0, ...this.full };
    this.order = order;
  }

  /** Batches one pass over the current order yields. */
  get batchCount(): number {
    const n = this.order.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts over, optionally with a new order (e.g. reshuffled for the next epoch). */
  reset(order?: ArrayLike<number>): void {
    if (order !== undefined) {
      if (order.length !== this.order.length) this.partial = undefined;
      this.order = order;
    }
    this.position = 0;
  }

  /** Fills and returns the next batch, or undefined at the end of the pass. */
  next(): Batch | undefined {
    const remaining = this.order.length - this.position;
    const size = Math.min(this.batchSize, remaining);
    if (size <= 0 || (this.dropLast && size < this.batchSize)) return undefined;
    const target = size === this.batchSize ? this.full : this.partialViews(size);
    const { x: sx, y: sy } = this.dataset;
    const f = this.featureSize;
    const k = shapeSize(this.dataset.labelShape);
    if (this.labelFormat === 'onehot') target.y.fill(0 as never);
    for (let r = 0; r < size; r++) {
      const s = this.order[this.position + r];
      if (!Number.isInteger(s) || s < 0 || s >= this.dataset.count) throw new RangeError(`sample index ${s} outside 0..${this.dataset.count - 1}`);
      target.indices[r] = s;
      // Same-kind copies go through set(); float32 -> float64 widens element by element.
      if (sx instanceof BigInt64Array || target.x instanceof Float32Array) {
        (target.x as Float32Array).set((sx as Float32Array).subarray(s * f, (s + 1) * f), r * f);
      } else {
        const tx = target.x as Float64Array;
        for (let j = 0; j < f; j++) tx[r * f + j] = sx[s * f + j] as number;
      }
      if (this.labelFormat === 'onehot') {
        const c = (sy as Int32Array)[s];
        if (c < 0 || c >= this.labelSize) throw new RangeError(`label ${c} of sample ${s} is outside 0..${this.labelSize - 1}`);
        (target.y as Float32Array)[r * this.labelSize + c] = 1;
      } else if (this.labelFormat === 'index64') {
        (target.y as BigInt64Array)[r] = BigInt((sy as Int32Array)[s]);
      } else {
        const ty = target.y as Int32Array | Float32Array | Float64Array;
        for (let j = 0; j < k; j++) ty[r * k + j] = sy[s * k + j];
      }
    }
    this.position += size;
    this.batch.size = size;
    this.batch.x = target.x;
    this.batch.y = target.y;
    this.batch.indices = target.indices;
    return this.batch;
  }

  private partialViews(size: number): Buffers {
    if (this.partial === undefined || this.partial.indices.length !== size) {
      this.partial = {
        x: this.full.x.subarray(0, size * this.featureSize),
        y: this.full.y.subarray(0, size * this.labelSize),
        indices: this.full.indices.subarray(0, size),
      };
    }
    return this.partial;
  }
}

/**
 * One-hot encodes class indices into `out` (allocated when omitted): [n, numClasses] floats.
 * @throws RangeError for a label outside 0..numClasses-1 or an `out` of the wrong length.
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number, out?: Float32Array): Float32Array {
  const n = labels.length;
  const result = out ?? new Float32Array(n * numClasses);
  if (result.length !== n * numClasses) throw new RangeError(`oneHot: out holds ${result.length} values, ${n} x ${numClasses} needed`);
  result.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new RangeError(`oneHot: label ${c} at ${i} is outside 0..${numClasses - 1}`);
    result[i * numClasses + c] = 1;
  }
  return result;
}
