// One optimizer update per call, over one batch (the compiler's fused train step) or over
// several micro-batches whose gradients are accumulated (gradient step per micro-batch, then
// one apply step). Both keep the params and optimizer state as ORT tensors between calls: the
// outputs of one step are fed as the inputs of the next without copying. A step whose numbers
// are not finite is not committed, so the values stay those of the last good step.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ApplyStepIO, CompiledModel, GradStepIO, TrainStepIO } from '../compiler/types';
import type { Batch, FeedMap } from './feeds';
import type { GradStat } from './protocol';
import { ort } from './ort';
import { firstNonFiniteLayer } from '../compiler/finite';

export interface GradStatsSnapshot {
  globalGradNorm: number;
  params: GradStat[];
}

export interface StepResult {
  /** Sum over samples of the loss (mean loss × samples). */
  lossSum: number;
  /** Per metric, the sum over samples. */
  metricSums: Record<string, number>;
  samples: number;
  /** Set when the step produced NaN/Inf; the update was not applied. */
  nonFinite?: { layer?: string; where: string };
  /** Reads the gradient statistics of this step (cheap; call only when reporting). */
  stats(): GradStatsSnapshot;
}

export interface StepRunner {
  /** `step` is the 1-based number of this update; `seeds` has one seed per batch. */
  step(batches: Batch[], lr: number, step: number, seeds: bigint[]): Promise<StepResult>;
  /** Current params and optimizer state (copies are not made; do not modify). */
  values(): { params: Map<string, Float32Array>; state: Map<string, Float32Array> };
}

type Values = Map<string, Float32Array>;

function tensorOf(data: Float32Array, shape: number[]): Tensor {
  return new ort.Tensor('float32', data, shape);
}

function scalarF32(v: number): Tensor {
  return new ort.Tensor('float32', Float32Array.of(v), []);
}

function scalarI64(v: bigint | number): Tensor {
  return new ort.Tensor('int64', BigInt64Array.of(BigInt(v)), []);
}

function num(t: Tensor | undefined): number {
  if (!t) return NaN;
  return Number((t.data as Float32Array)[0]);
}

function floats(t: Tensor): Float32Array {
  return t.data as Float32Array;
}

/** Param and state tensors by name, with their shapes from the compiled model. */
function initialTensors(compiled: CompiledModel, params: Values, state: Values): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const p of compiled.params) out.set(p.name, tensorOf(params.get(p.name)!, p.shape));
  for (const s of compiled.state) out.set(s.name, tensorOf(state.get(s.name)!, s.shape));
  return out;
}

function statsFrom(compiled: CompiledModel, io: { statParams: string[] }, out: Record<string, Tensor>, names: { gradNorm: string; weightNorm: string; updateRatio: string; globalGradNorm: string }): GradStatsSnapshot {
  const byName = new Map(compiled.params.map((p) => [p.name, p]));
  const g = floats(out[names.gradNorm]);
  const w = floats(out[names.weightNorm]);
  const r = floats(out[names.updateRatio]);
  return {
    globalGradNorm: num(out[names.globalGradNorm]),
    params: io.statParams.map((name, i) => ({ name, layer: byName.get(name)?.layer ?? name, param: byName.get(name)?.param ?? name, gradNorm: g[i], weightNorm: w[i], updateRatio: r[i] })),
  };
}

/**
 * The culprit of a step's per-layer finite codes (see `firstNonFiniteLayer`) as a
 * `StepResult.nonFinite`; `update` says the codes are the apply step's, which has no forward pass.
 */
function firstFlagged(io: { nonFinite: string; finiteLayers: string[] }, out: Record<string, Tensor>, update = false): StepResult['nonFinite'] {
  const codes = floats(out[io.nonFinite]);
  const layer = firstNonFiniteLayer(io.finiteLayers, codes);
  if (layer === undefined) return undefined;
  const code = codes[io.finiteLayers.indexOf(layer)];
  const where = update ? `the update of layer '${layer}'` : code === 1 ? `the output of layer '${layer}'` : `the gradients of layer '${layer}'`;
  return { layer, where };
}

function snapshotValues(compiled: CompiledModel, carried: Map<string, Tensor>): { params: Values; state: Values } {
  const params: Values = new Map();
  const state: Values = new Map();
  for (const p of compiled.params) params.set(p.name, floats(carried.get(p.name)!));
  for (const s of compiled.state) state.set(s.name, floats(carried.get(s.name)!));
  return { params, state };
}

/** The compiler's train step: forward, backward and update in one run. */
export class FusedStepRunner implements StepRunner {
  private carried: Map<string, Tensor>;
  /**
   * A second set of param/state tensors the step writes its new values into (double
   * buffering): each step's outputs land in preallocated memory instead of fresh buffers, so
   * a run's memory stays flat instead of growing with garbage until the next collection.
   */
  private spare: Map<string, Tensor>;

  constructor(
    private readonly compiled: CompiledModel,
    private readonly session: InferenceSession,
    params: Values,
    state: Values,
  ) {
    this.carried = initialTensors(compiled, params, state);
    this.spare = new Map([...this.carried].map(([name, t]) => [name, tensorOf(new Float32Array(t.size), [...t.dims])]));
  }

  private get io(): TrainStepIO {
    return this.compiled.trainIO;
  }

  async step(batches: Batch[], lr: number, step: number, seeds: bigint[]): Promise<StepResult> {
    if (batches.length !== 1) throw new Error(`internal: the fused train step takes one batch, got ${batches.length}`);
    const io = this.io;
    const feeds: FeedMap = { ...batches[0].feeds, [io.lr]: scalarF32(lr), [io.step]: scalarI64(step), [io.seed]: scalarI64(seeds[0]) };
    for (const [name, t] of this.carried) feeds[name] = t;
    const fetches: Record<string, Tensor | null> = {};
    for (const name of [io.loss, io.nonFinite, io.gradNorm, io.weightNorm, io.updateRatio, io.globalGradNorm, ...io.metrics.map((m) => m.output)]) fetches[name] = null;
    for (const c of io.carries) fetches[c.output] = this.spare.get(c.input)!;
    const out = await this.session.run(feeds, fetches);
    const samples = batches[0].samples;
    const loss = num(out[io.loss]);
    const metricSums: Record<string, number> = {};
    for (const m of io.metrics) metricSums[m.metric] = num(out[m.output]);
    const flagged = firstFlagged(io, out);
    const result: StepResult = {
      lossSum: loss * samples,
      metricSums,
      samples,
      stats: () => statsFrom(this.compiled, io, out, io),
    };
    if (flagged || !Number.isFinite(loss)) {
      result.nonFinite = flagged ?? { where: 'the loss' };
      return result;
    }
    [this.carried, this.spare] = [this.spare, this.carried];
    return result;
  }

  values(): { params: Values; state: Values } {
    return snapshotValues(this.compiled, this.carried);
  }
}

/**
 * Gradient accumulation: each micro-batch's gradient comes from the gradient step, weighted by
 * its share of the samples, so the update equals the one of the whole batch (up to rounding;
 * BatchNorm still normalises each micro-batch by its own statistics).
 */
export class AccumulatingStepRunner implements StepRunner {
  private readonly carried: Map<string, Tensor>;

  constructor(
    private readonly compiled: CompiledModel,
    private readonly gradSession: InferenceSession,
    private readonly gradIO: GradStepIO,
    private readonly applySession: InferenceSession,
    private readonly applyIO: ApplyStepIO,
    params: Values,
    state: Values,
  ) {
    this.carried = initialTensors(compiled, params, state);
  }

  async step(batches: Batch[], lr: number, step: number, seeds: bigint[]): Promise<StepResult> {
    const gio = this.gradIO;
    const total = batches.reduce((a, b) => a + b.samples, 0);
    const sums = new Map<string, Float64Array>();
    const pending = new Map<string, Tensor>();
    let lossSum = 0;
    const metricSums: Record<string, number> = {};
    for (const m of gio.metrics) metricSums[m.metric] = 0;
    const noStats = (): GradStatsSnapshot => ({ globalGradNorm: NaN, params: [] });
    for (let b = 0; b < batches.length; b++) {
      const feeds: FeedMap = { ...batches[b].feeds, [gio.seed]: scalarI64(seeds[b]) };
      for (const name of gio.params) feeds[name] = pending.get(name) ?? this.carried.get(name)!;
      const out = await this.gradSession.run(feeds);
      const loss = num(out[gio.loss]);
      lossSum += loss * batches[b].samples;
      for (const m of gio.metrics) metricSums[m.metric] += num(out[m.output]);
      const flagged = firstFlagged(gio, out);
      if (flagged || !Number.isFinite(loss)) return { lossSum, metricSums, samples: total, stats: noStats, nonFinite: flagged ?? { where: 'the loss' } };
      const weight = batches[b].samples / total;
      for (const gr of gio.grads) {
        const g = floats(out[gr.output]);
        let acc = sums.get(gr.param);
        if (!acc) sums.set(gr.param, (acc = new Float64Array(g.length)));
        for (let i = 0; i < g.length; i++) acc[i] += weight * g[i];
      }
      // Running statistics advance once per micro-batch, as they would in separate steps.
      for (const u of gio.updates) pending.set(u.input, out[u.output]);
    }
    const aio = this.applyIO;
    const feeds: FeedMap = { [aio.lr]: scalarF32(lr), [aio.step]: scalarI64(step) };
    for (const name of aio.params) feeds[name] = this.carried.get(name)!;
    for (const name of aio.state) feeds[name] = this.carried.get(name)!;
    const shapes = new Map(this.compiled.params.map((p) => [p.name, p.shape]));
    for (const gi of aio.grads) feeds[gi.input] = tensorOf(Float32Array.from(sums.get(gi.param)!), shapes.get(gi.param)!);
    const out = await this.applySession.run(feeds);
    const stats = () => statsFrom(this.compiled, aio, out, aio);
    const flagged = firstFlagged(aio, out, true);
    if (flagged) return { lossSum, metricSums, samples: total, stats, nonFinite: flagged };
    for (const c of aio.carries) this.carried.set(c.input, out[c.output]);
    for (const [name, t] of pending) this.carried.set(name, t);
    return { lossSum, metricSums, samples: total, stats };
  }

  values(): { params: Values; state: Values } {
    return snapshotValues(this.compiled, this.carried);
  }
}
