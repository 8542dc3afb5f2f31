// Runs the attribution graphs: a batched scalar function f(x) = selected output (and its input
// gradient) for one parameter set and one target unit, fed in chunks of at most `maxBatch`
// samples. The attribution methods only see `ScalarFunction`; this is its onnxruntime side.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ort } from '../engine/ort';
import type { AttributionIO } from './graph';

/** f: R^size -> R for a batch of points, with its gradient; what every attribution method is written against. */
export interface ScalarFunction {
  /** Elements per point. */
  readonly size: number;
  /** Most points per call the implementation wants (callers chunk; larger calls still work). */
  readonly maxBatch: number;
  /** f at each of the `n` points stored one after another in `xs`. */
  values(xs: Float64Array, n: number): Promise<Float64Array>;
  /** f and ∇f at each point; gradients are stored like `xs`. */
  gradients(xs: Float64Array, n: number): Promise<{ values: Float64Array; gradients: Float64Array }>;
  /** Per-point model evaluations so far (forward or forward+backward). */
  readonly evaluations: number;
}

export type ParamValues = ReadonlyMap<string, Float32Array>;

/** What the forward graph gives for a batch: scores (logits or values), probabilities when a classifier, and the selected value. */
export interface ForwardOutputs {
  scores: Float64Array;
  probabilities?: Float64Array;
  selected: Float64Array;
}

function toFloat64(t: Tensor): Float64Array {
  const d = t.data as Float32Array | Float64Array;
  return d instanceof Float64Array ? d : Float64Array.from(d);
}

/** The two sessions of one model plus its IO; `bind` makes a ScalarFunction for given weights and target. */
export class AttributionRunner {
  readonly outputSize: number;
  readonly inputSize: number;

  constructor(
    readonly io: AttributionIO,
    private readonly forwardSession: InferenceSession,
    private readonly gradientSession: InferenceSession,
    readonly maxBatch: number,
  ) {
    this.outputSize = io.outputShape.reduce((a, b) => a * b, 1);
    this.inputSize = io.inputShape.reduce((a, b) => a * b, 1);
  }

  private floats(values: ArrayLike<number>, dims: number[]): Tensor {
    return this.io.dtype === 'float64' ? new ort.Tensor('float64', Float64Array.from(values), dims) : new ort.Tensor('float32', Float32Array.from(values), dims);
  }

  private paramFeeds(params: ParamValues): Record<string, Tensor> {
    const feeds: Record<string, Tensor> = {};
    for (const p of this.io.params) {
      const v = params.get(p.name);
      if (!v) throw new Error(`internal: no value for parameter '${p.name}'`);
      feeds[p.name] = this.io.dtype === 'float64' ? new ort.Tensor('float64', Float64Array.from(v), p.shape) : new ort.Tensor('float32', v, p.shape);
    }
    return feeds;
  }

  /** The selector rows for `n` points that all select the flat output unit `target`. */
  private targetFeed(target: number, n: number): Tensor {
    const t = new Float64Array(n * this.outputSize);
    for (let i = 0; i < n; i++) t[i * this.outputSize + target] = 1;
    return this.floats(t, [n, ...this.io.outputShape]);
  }

  /** Scores, probabilities and the selected value of `target` at `n` points (one run; chunk yourself). */
  async forward(params: ParamValues, target: number, xs: Float64Array, n: number): Promise<ForwardOutputs> {
    const io = this.io;
    const out = await this.forwardSession.run({ ...this.paramFeeds(params), [io.input]: this.floats(xs, [n, ...io.inputShape]), [io.target]: this.targetFeed(target, n) });
    return { scores: toFloat64(out[io.scores]), probabilities: io.probabilities ? toFloat64(out[io.probabilities]) : undefined, selected: toFloat64(out[io.selected]) };
  }

  /** f(x) = the attributed output unit `target` under `params`, as a ScalarFunction. */
  bind(params: ParamValues, target: number): ScalarFunction {
    if (!Number.isInteger(target) || target < 0 || target >= this.outputSize) throw new RangeError(`target ${target} is outside the output's ${this.outputSize} units`);
    const io = this.io;
    const base = this.paramFeeds(params);
    const size = this.inputSize;
    const maxBatch = this.maxBatch;
    let evaluations = 0;
    const run = async (session: InferenceSession, fetches: string[], xs: Float64Array, n: number) => {
      if (xs.length !== n * size) throw new RangeError(`internal: ${xs.length} values for ${n} points of ${size}`);
      evaluations += n;
      return session.run({ ...base, [io.input]: this.floats(xs, [n, ...io.inputShape]), [io.target]: this.targetFeed(target, n) }, fetches);
    };
    return {
      size,
      maxBatch,
      get evaluations() {
        return evaluations;
      },
      values: async (xs, n) => {
        const out = new Float64Array(n);
        for (let s = 0; s < n; s += maxBatch) {
          const m = Math.min(maxBatch, n - s);
          const r = await run(this.forwardSession, [io.selected], xs.subarray(s * size, (s + m) * size), m);
          out.set(toFloat64(r[io.selected]), s);
        }
        return out;
      },
      gradients: async (xs, n) => {
        const values = new Float64Array(n);
        const gradients = new Float64Array(n * size);
        for (let s = 0; s < n; s += maxBatch) {
          const m = Math.min(maxBatch, n - s);
          const r = await run(this.gradientSession, [io.selected, io.gradient!], xs.subarray(s * size, (s + m) * size), m);
          values.set(toFloat64(r[io.selected]), s);
          gradients.set(toFloat64(r[io.gradient!]), s * size);
        }
        return { values, gradients };
      },
    };
  }
}

/** Rows `ids` of the [vocab, dim] embedding table, i.e. the Embedding layer's output for one sequence. */
export function embedTokens(weight: Float32Array, dim: number, vocab: number, ids: ArrayLike<number | bigint>): Float64Array {
  const out = new Float64Array(ids.length * dim);
  for (let t = 0; t < ids.length; t++) {
    const id = Number(ids[t]);
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`token id ${id} at position ${t} is outside the embedding's vocabulary 0..${vocab - 1}`);
    for (let j = 0; j < dim; j++) out[t * dim + j] = weight[id * dim + j];
  }
  return out;
}
