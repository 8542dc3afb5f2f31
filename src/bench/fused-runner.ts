// Runs the fused K-step model (src/compiler/fused.ts): stacks K batches (fed as their K·N rows,
// taken in order), feeds the carried params and optimizer state once, and keeps the final values
// as the next run's inputs.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { CompiledModel } from '../compiler/types';
import type { FusedStepIO } from '../compiler/fused';
import type { FeedMap } from '../engine/feeds';
import { ort } from '../engine/ort';
import { firstNonFiniteLayer } from '../compiler/finite';

export interface FusedRunResult {
  /** Mean loss of each of the K steps. */
  losses: number[];
  /** Per metric, each step's sum over its batch. */
  metricSums: Record<string, number[]>;
  /** Set when a step produced NaN/Inf; none of the K updates is kept then. */
  nonFinite?: { step: number; layer?: string };
}

type DataArray = Float32Array | Float64Array | BigInt64Array;

/** K same-shaped feed maps as one map of [K, ...] tensors (names and element types kept). */
export function stackFeeds(batches: FeedMap[]): FeedMap {
  if (batches.length === 0) throw new Error('stackFeeds needs at least one batch');
  const out: FeedMap = {};
  for (const name of Object.keys(batches[0])) {
    const first = batches[0][name];
    const size = first.data.length;
    const Ctor = (first.data as DataArray).constructor as new (n: number) => DataArray;
    const data = new Ctor(size * batches.length);
    batches.forEach((b, k) => {
      const t = b[name];
      if (!t || t.data.length !== size) throw new Error(`batch ${k} has no tensor '${name}' of ${size} values to stack`);
      (data as Float32Array).set(t.data as Float32Array, k * size);
    });
    out[name] = new ort.Tensor(first.type as 'float32', data as Float32Array, [batches.length, ...first.dims]);
  }
  return out;
}

export class FusedLoopRunner {
  private readonly carried = new Map<string, Tensor>();

  constructor(
    private readonly compiled: CompiledModel,
    private readonly io: FusedStepIO,
    private readonly session: InferenceSession,
    params: Map<string, Float32Array>,
    state: Map<string, Float32Array>,
  ) {
    for (const p of compiled.params) this.carried.set(p.name, new ort.Tensor('float32', params.get(p.name)!, p.shape));
    for (const s of compiled.state) this.carried.set(s.name, new ort.Tensor('float32', state.get(s.name)!, s.shape));
  }

  /** K steps: `stacked` holds the features and labels as [K, N, ...]; `lrs`, `steps`, `seeds` have K entries. */
  async run(stacked: FeedMap, lrs: number[], steps: number[], seeds: bigint[]): Promise<FusedRunResult> {
    const k = lrs.length;
    if (steps.length !== k || seeds.length !== k) throw new Error(`fused run: ${k} learning rates but ${steps.length} step numbers and ${seeds.length} seeds`);
    const feeds: FeedMap = {
      [this.io.lr]: new ort.Tensor('float32', Float32Array.from(lrs), [k]),
      [this.io.step]: new ort.Tensor('int64', BigInt64Array.from(steps, (s) => BigInt(s)), [k]),
      [this.io.seed]: new ort.Tensor('int64', BigInt64Array.from(seeds), [k]),
    };
    let samples = 0;
    for (const [name, t] of Object.entries(stacked)) {
      samples = t.dims[1];
      feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, [t.dims[0] * t.dims[1], ...t.dims.slice(2)]);
    }
    feeds[this.io.rows] = new ort.Tensor('int64', BigInt64Array.from({ length: k * samples }, (_, i) => BigInt(i)), [k, samples]);
    for (const [name, t] of this.carried) feeds[name] = t;
    const out = await this.session.run(feeds);
    const losses = Array.from(out[this.io.losses].data as Float32Array);
    const metricSums: Record<string, number[]> = {};
    for (const m of this.io.metrics) metricSums[m.metric] = Array.from(out[m.output].data as Float32Array);
    const codes = out[this.io.nonFinite].data as Float32Array;
    const layers = this.compiled.trainIO.finiteLayers.length;
    for (let i = 0; i < k; i++) {
      const layer = firstNonFiniteLayer(this.compiled.trainIO.finiteLayers, codes.subarray(i * layers, (i + 1) * layers));
      if (layer !== undefined || !Number.isFinite(losses[i])) return { losses, metricSums, nonFinite: { step: i, layer } };
    }
    for (const c of this.io.carries) this.carried.set(c.input, out[c.output]);
    return { losses, metricSums };
  }

  /** Current params by name (no copies; do not modify). */
  params(): Map<string, Float32Array> {
    return new Map(this.compiled.params.map((p) => [p.name, this.carried.get(p.name)!.data as Float32Array]));
  }

  state(): Map<string, Float32Array> {
    return new Map(this.compiled.state.map((s) => [s.name, this.carried.get(s.name)!.data as Float32Array]));
  }
}
