// Optimizer updates through ORT, three ways: several updates in one run of the fused K-step
// Loop model (one batch each), one update per run of the compiler's train step, or one update
// over several micro-batches whose gradients are accumulated (gradient step per micro-batch, then
// one apply step). All keep the params and optimizer state as ORT tensors between runs: the
// outputs of one run are fed as the inputs of the next without copying. An update whose numbers
// are not finite is not committed, so the values stay those of the last good update.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { buildFusedTrainModel, type FusedStepIO } from '../compiler/fused';
import type { ApplyStepIO, CompiledModel, GradStepIO, MetricOutput, TimeGradNorm, TrainStepIO } from '../compiler/types';
import type { Batch, FeedMap } from './feeds';
import type { GradStat, TimeStepGradNorms } from './protocol';
import { ort } from './ort';
import { firstNonFiniteLayer } from '../compiler/finite';

export interface GradStatsSnapshot {
  globalGradNorm: number;
  params: GradStat[];
  /** Per recurrent layer, the gradient norm at each time step of its input (train steps of models with one). */
  timeSteps?: TimeStepGradNorms[];
}

export interface StepResult {
  /** Sum over samples of the loss (mean loss × samples). */
  lossSum: number;
  /** Per metric, the sum over samples. */
  metricSums: Record<string, number>;
  samples: number;
  /** Set when the step produced NaN/Inf; the update was not applied. */
  nonFinite?: { layer?: string; where: string };
  /**
   * Reads the gradient statistics of this step (cheap; call only when reporting). Empty (no
   * params, NaN norm) for updates whose statistics were not computed: in a Loop run, all but
   * the last (committed) one.
   */
  stats(): GradStatsSnapshot;
}

/**
 * `count` batches of `samples` samples each for one run of the Loop model: the sample tensors
 * the batches are drawn from and, batch after batch, the rows of them each one takes. The
 * trainer passes its whole training split with the epoch order's rows: no stacked copies.
 */
export interface StackedBatch {
  /** Feature and label tensors by input name, [M, ...]: one row per sample. */
  feeds: FeedMap;
  /** count × samples rows of `feeds`: batch 0's, then batch 1's, ... */
  rows: BigInt64Array;
  count: number;
  samples: number;
}

export interface StepsResult {
  /** The committed updates in order: all of them, or those before the one that went non-finite. */
  steps: StepResult[];
  /** Set when update `steps.length` produced NaN/Inf; neither it nor any later one was applied. */
  nonFinite?: { layer?: string; where: string };
}

export interface StepRunner {
  /** `step` is the 1-based number of this update; `seeds` has one seed per batch. */
  step(batches: Batch[], lr: number, step: number, seeds: bigint[]): Promise<StepResult>;
  /**
   * `stacked.count` updates, one per stacked batch, in one graph run (with one learning rate,
   * update number and seed each). Only runners that fuse updates have it.
   */
  steps?(stacked: StackedBatch, lrs: number[], steps: number[], seeds: bigint[]): Promise<StepsResult>;
  /** Current params and optimizer state (copies are not made; do not modify). */
  values(): { params: Map<string, Float32Array>; state: Map<string, Float32Array> };
}

type Values = Map<string, Float32Array>;

/** Bytes of the params and optimizer state, the values every run carries in and out. */
export function carriedBytes(compiled: Pick<CompiledModel, 'params' | 'state'>): number {
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  return 4 * (compiled.params.reduce((n, p) => n + size(p.shape), 0) + compiled.state.reduce((n, t) => n + size(t.shape), 0));
}

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

type DataArray = Float32Array | Float64Array | BigInt64Array;

/** A batch of count × n samples seen as `count` batches of n (its rows in order); no copies. */
export function stackBatch(batch: Batch, count: number): StackedBatch {
  const samples = batch.samples / count;
  if (!Number.isInteger(samples)) throw new Error(`internal: ${batch.samples} samples do not split into ${count} equal batches`);
  return { feeds: batch.feeds, rows: BigInt64Array.from({ length: batch.samples }, (_, i) => BigInt(i)), count, samples };
}

/** `count` batches of `samples` rows of `feeds` each, the rows read from `order` at `start`. */
export function batchesByRow(feeds: FeedMap, order: ArrayLike<number>, start: number, count: number, samples: number): StackedBatch {
  const rows = new BigInt64Array(count * samples);
  for (let i = 0; i < rows.length; i++) rows[i] = BigInt(order[start + i]);
  return { feeds, rows, count, samples };
}

/** Batches `from` to `to` (exclusive) of a stack; no copies. */
export function stackedRange(stacked: StackedBatch, from: number, to: number): StackedBatch {
  return { feeds: stacked.feeds, rows: stacked.rows.subarray(from * stacked.samples, to * stacked.samples), count: to - from, samples: stacked.samples };
}

/** Batch `index` of a stack as an ordinary batch (its rows copied out). */
export function batchAt(stacked: StackedBatch, index: number): Batch {
  const rows = stacked.rows.subarray(index * stacked.samples, (index + 1) * stacked.samples);
  const feeds: FeedMap = {};
  for (const [name, t] of Object.entries(stacked.feeds)) {
    const per = t.dims.slice(1).reduce((a, b) => a * b, 1);
    const from = t.data as DataArray;
    const data = new (from.constructor as new (n: number) => DataArray)(rows.length * per);
    rows.forEach((r, i) => (data as Float32Array).set((from as Float32Array).subarray(Number(r) * per, (Number(r) + 1) * per), i * per));
    feeds[name] = new ort.Tensor(t.type as 'float32', data as Float32Array, [rows.length, ...t.dims.slice(1)]);
  }
  return { feeds, samples: stacked.samples };
}

/** Param and state tensors by name, with their shapes from the compiled model. */
function initialTensors(compiled: CompiledModel, params: Values, state: Values): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const p of compiled.params) out.set(p.name, tensorOf(params.get(p.name)!, p.shape));
  for (const s of compiled.state) out.set(s.name, tensorOf(state.get(s.name)!, s.shape));
  return out;
}

/**
 * A run's outputs without the binding's copies of the new values (ORT wrote them into the spare
 * tensors too), so that nothing outliving the run (a result's stats closure) keeps them alive.
 */
function withoutCarried(out: Record<string, Tensor>, carries: readonly { output: string }[]): Record<string, Tensor> {
  const carried = new Set(carries.map((c) => c.output));
  return Object.fromEntries(Object.entries(out).filter(([name]) => !carried.has(name)));
}

/** A second set of tensors shaped like `carried`, for a run to write its new values into. */
function spareTensors(carried: Map<string, Tensor>): Map<string, Tensor> {
  return new Map([...carried].map(([name, t]) => [name, tensorOf(new Float32Array(t.size), [...t.dims])]));
}

interface StatNames {
  gradNorm: string;
  weightNorm: string;
  updateRatio: string;
  globalGradNorm: string;
  gradMeanAbs?: string;
  timeGradNorms?: TimeGradNorm[];
}

/**
 * Statistics of update `row` of `rows` from outputs holding one row per update: P values per
 * parameter statistic, one global norm, T values per recurrent layer's time-step norms.
 */
function statsFrom(compiled: CompiledModel, statParams: string[], out: Record<string, Tensor>, names: StatNames, row = 0, rows = 1): GradStatsSnapshot {
  const byName = new Map(compiled.params.map((p) => [p.name, p]));
  const P = statParams.length;
  const g = floats(out[names.gradNorm]);
  const w = floats(out[names.weightNorm]);
  const r = floats(out[names.updateRatio]);
  const m = names.gradMeanAbs && out[names.gradMeanAbs] ? floats(out[names.gradMeanAbs]) : undefined;
  const at = row * P;
  const elements = (name: string) => (byName.get(name)?.shape ?? []).reduce((a, b) => a * b, 1);
  const snapshot: GradStatsSnapshot = {
    globalGradNorm: Number(floats(out[names.globalGradNorm])[row]),
    params: statParams.map((name, i) => ({ name, layer: byName.get(name)?.layer ?? name, param: byName.get(name)?.param ?? name, gradNorm: g[at + i], weightNorm: w[at + i], updateRatio: r[at + i], ...(m ? { gradMeanAbs: m[at + i], elements: elements(name) } : {}) })),
  };
  if (names.timeGradNorms?.length) {
    snapshot.timeSteps = names.timeGradNorms.map((t) => {
      const all = floats(out[t.output]);
      const T = all.length / rows;
      return { layer: t.layer, norms: Array.from(all.subarray(row * T, (row + 1) * T)) };
    });
  }
  return snapshot;
}

/**
 * The culprit of one update's per-layer finite codes (see `firstNonFiniteLayer`) as a
 * `StepResult.nonFinite`; `update` says the codes are the apply step's, which has no forward pass.
 */
function flagged(finiteLayers: string[], codes: Float32Array, update = false): StepResult['nonFinite'] {
  const layer = firstNonFiniteLayer(finiteLayers, codes);
  if (layer === undefined) return undefined;
  const code = codes[finiteLayers.indexOf(layer)];
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

/** The fused K-step Loop model, with the gradient statistics of its last update among its outputs. */
export interface LoopModel {
  model: Uint8Array;
  io: FusedStepIO;
  /** The model's own metrics (`io.metrics` also lists the statistics). */
  metrics: MetricOutput[];
  /** Output names of the last update's statistics: [P] per-parameter norms and ratios, the global gradient norm, [T] time-step norms. */
  stats: StatNames;
}

/**
 * The Loop model with the gradient statistics of each run's last update among its outputs
 * (computed in the last iteration only; same shapes as a single step's), so they need no second
 * session next to the Loop's. Step and statistics events come once per run, about its last
 * update. Throws a model error where the train step cannot be fused.
 */
export function buildLoopModel(compiled: CompiledModel): LoopModel {
  const io = compiled.trainIO;
  const stats: StatNames = { gradNorm: io.gradNorm, weightNorm: io.weightNorm, updateRatio: io.updateRatio, globalGradNorm: io.globalGradNorm, gradMeanAbs: io.gradMeanAbs, timeGradNorms: io.timeGradNorms };
  const lastOnly = [io.gradNorm, io.weightNorm, io.updateRatio, io.globalGradNorm, io.gradMeanAbs, ...(io.timeGradNorms ?? []).map((t) => t.output)];
  const fused = buildFusedTrainModel(compiled, lastOnly);
  return { model: fused.model, io: fused.io, metrics: io.metrics, stats };
}

/** What `StepResult.stats` gives for an update whose statistics were not computed. */
const NO_STATS: GradStatsSnapshot = { globalGradNorm: NaN, params: [] };

/**
 * Several updates per run through the fused Loop model; one update is a run of K = 1. When an
 * update goes non-finite, the updates before it are run again on their own (the Loop's values
 * are those after all K) so that exactly those are committed: the Loop's updates are
 * bit-identical to single train steps, so the result equals stepping one at a time.
 */
export class LoopStepRunner implements StepRunner {
  private carried: Map<string, Tensor>;
  /** Where each run writes its new values (double buffering, as FusedStepRunner). */
  private spare: Map<string, Tensor>;

  constructor(
    private readonly compiled: CompiledModel,
    private readonly loop: LoopModel,
    private readonly session: InferenceSession,
    params: Values,
    state: Values,
  ) {
    this.carried = initialTensors(compiled, params, state);
    this.spare = spareTensors(this.carried);
  }

  async step(batches: Batch[], lr: number, step: number, seeds: bigint[]): Promise<StepResult> {
    if (batches.length !== 1) throw new Error(`internal: the fused train step takes one batch, got ${batches.length}`);
    const stacked = stackBatch(batches[0], 1);
    const out = await this.run(stacked, [lr], [step], seeds);
    const [result] = this.read(out, 1, stacked.samples);
    if (!result.nonFinite) this.commit();
    return result;
  }

  async steps(stacked: StackedBatch, lrs: number[], steps: number[], seeds: bigint[]): Promise<StepsResult> {
    const k = stacked.count;
    if (lrs.length !== k || steps.length !== k || seeds.length !== k) throw new Error(`internal: ${k} stacked batches but ${lrs.length} learning rates, ${steps.length} step numbers and ${seeds.length} seeds`);
    const out = await this.run(stacked, lrs, steps, seeds);
    const results = this.read(out, k, stacked.samples);
    const bad = results.findIndex((r) => r.nonFinite);
    if (bad < 0) {
      this.commit();
      return { steps: results };
    }
    if (bad > 0) {
      const again = await this.run(stackedRange(stacked, 0, bad), lrs.slice(0, bad), steps.slice(0, bad), seeds.slice(0, bad));
      this.commit();
      // That run's last update is the last committed one: its statistics are in `again`.
      results[bad - 1].stats = () => statsFrom(this.compiled, this.compiled.trainIO.statParams, again, this.loop.stats);
    }
    return { steps: results.slice(0, bad), nonFinite: results[bad].nonFinite };
  }

  values(): { params: Values; state: Values } {
    return snapshotValues(this.compiled, this.carried);
  }

  private async run(stacked: StackedBatch, lrs: number[], steps: number[], seeds: bigint[]): Promise<Record<string, Tensor>> {
    const io = this.loop.io;
    const k = stacked.count;
    const feeds: FeedMap = {
      ...stacked.feeds,
      [io.rows]: new ort.Tensor('int64', stacked.rows, [k, stacked.samples]),
      [io.lr]: new ort.Tensor('float32', Float32Array.from(lrs), [k]),
      [io.step]: new ort.Tensor('int64', BigInt64Array.from(steps, (s) => BigInt(s)), [k]),
      [io.seed]: new ort.Tensor('int64', BigInt64Array.from(seeds), [k]),
    };
    for (const [name, t] of this.carried) feeds[name] = t;
    const fetches: Record<string, Tensor | null> = {};
    for (const name of this.session.outputNames) fetches[name] = null;
    for (const c of io.carries) fetches[c.output] = this.spare.get(c.input)!;
    return withoutCarried(await this.session.run(feeds, fetches), io.carries);
  }

  /** Per-update results of a run over `k` stacked batches of `samples` each. */
  private read(out: Record<string, Tensor>, k: number, samples: number): StepResult[] {
    const { io, metrics, stats } = this.loop;
    const trainIO = this.compiled.trainIO;
    const losses = floats(out[io.losses]);
    const codes = floats(out[io.nonFinite]);
    const L = trainIO.finiteLayers.length;
    return Array.from({ length: k }, (_, i) => {
      const loss = Number(losses[i]);
      const metricSums: Record<string, number> = {};
      for (const m of metrics) metricSums[m.metric] = Number(floats(out[m.output])[i]);
      const result: StepResult = { lossSum: loss * samples, metricSums, samples, stats: () => (i === k - 1 ? statsFrom(this.compiled, trainIO.statParams, out, stats) : NO_STATS) };
      const bad = flagged(trainIO.finiteLayers, codes.subarray(i * L, (i + 1) * L));
      if (bad || !Number.isFinite(loss)) result.nonFinite = bad ?? { where: 'the loss' };
      return result;
    });
  }

  /** The last run's outputs, written into the spare tensors, become the current values. */
  private commit(): void {
    [this.carried, this.spare] = [this.spare, this.carried];
  }
}

/** The compiler's train step: forward, backward and update in one run. */
export class FusedStepRunner implements StepRunner {
  private carried: Map<string, Tensor>;
  /**
   * A second set of param/state tensors the step writes its new values into (double buffering):
   * ORT writes each step's outputs straight into this preallocated memory instead of into its
   * arena. onnxruntime-node still hands back a fresh copy of every output (dead at once, freed
   * by V8 when it gets to it), but ORT's arena stays smaller: measured on the bench MLP with a GC
   * after every step, the run's peak was 10–14 MiB, against 18 MiB with the outputs left to ORT.
   */
  private spare: Map<string, Tensor>;

  constructor(
    private readonly compiled: CompiledModel,
    private readonly session: InferenceSession,
    params: Values,
    state: Values,
  ) {
    this.carried = initialTensors(compiled, params, state);
    this.spare = spareTensors(this.carried);
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
    for (const name of [io.loss, io.nonFinite, io.gradNorm, io.weightNorm, io.updateRatio, io.globalGradNorm, io.gradMeanAbs, ...io.metrics.map((m) => m.output), ...(io.timeGradNorms ?? []).map((t) => t.output)]) fetches[name] = null;
    for (const c of io.carries) fetches[c.output] = this.spare.get(c.input)!;
    const out = withoutCarried(await this.session.run(feeds, fetches), io.carries);
    const samples = batches[0].samples;
    const loss = num(out[io.loss]);
    const metricSums: Record<string, number> = {};
    for (const m of io.metrics) metricSums[m.metric] = num(out[m.output]);
    const bad = flagged(io.finiteLayers, floats(out[io.nonFinite]));
    const result: StepResult = {
      lossSum: loss * samples,
      metricSums,
      samples,
      stats: () => statsFrom(this.compiled, io.statParams, out, io),
    };
    if (bad || !Number.isFinite(loss)) {
      result.nonFinite = bad ?? { where: 'the loss' };
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
    // Per recurrent layer, the sum over micro-batches of (weight × time-step norm)²: the
    // micro-batches' samples are disjoint, so its square root is the whole batch's norm.
    const timeSquares = (gio.timeGradNorms ?? []).map(() => undefined as Float64Array | undefined);
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
      const bad = flagged(gio.finiteLayers, floats(out[gio.nonFinite]));
      if (bad || !Number.isFinite(loss)) return { lossSum, metricSums, samples: total, stats: noStats, nonFinite: bad ?? { where: 'the loss' } };
      const weight = batches[b].samples / total;
      for (const gr of gio.grads) {
        const g = floats(out[gr.output]);
        let acc = sums.get(gr.param);
        if (!acc) sums.set(gr.param, (acc = new Float64Array(g.length)));
        for (let i = 0; i < g.length; i++) acc[i] += weight * g[i];
      }
      (gio.timeGradNorms ?? []).forEach((t, j) => {
        const norms = floats(out[t.output]);
        const acc = (timeSquares[j] ??= new Float64Array(norms.length));
        for (let i = 0; i < norms.length; i++) acc[i] += (weight * norms[i]) ** 2;
      });
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
    const timeSteps = (gio.timeGradNorms ?? []).map((t, j) => ({ layer: t.layer, norms: Array.from(timeSquares[j] ?? [], Math.sqrt) }));
    const stats = (): GradStatsSnapshot => ({ ...statsFrom(this.compiled, aio.statParams, out, aio), ...(timeSteps.length ? { timeSteps } : {}) });
    const bad = flagged(aio.finiteLayers, floats(out[aio.nonFinite]), true);
    if (bad) return { lossSum, metricSums, samples: total, stats, nonFinite: bad };
    for (const c of aio.carries) this.carried.set(c.input, out[c.output]);
    for (const [name, t] of pending) this.carried.set(name, t);
    return { lossSum, metricSums, samples: total, stats };
  }

  values(): { params: Values; state: Values } {
    return snapshotValues(this.compiled, this.carried);
  }
}
