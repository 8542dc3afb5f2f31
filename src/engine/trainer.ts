// The training loop: epochs of optimizer updates through ORT, validation after each epoch,
// best/last checkpoints, early stopping, pause/resume/stop between runs, a NaN/Inf guard, and
// events at a bounded rate. Short updates go several to a run of the fused Loop model; a run
// lasts about one step-event interval, so pauses, stops and events keep their pace, and step
// events come once per run. Every random choice derives from (run seed, position in the run), so
// stopping and resuming from a checkpoint gives bit-identical weights to an uninterrupted run.
import { learningRate } from '../compiler/schedule';
import { microBatches } from './batch-plan';
import { writeCheckpoint, type CheckpointContent, type TrainingProgress } from './checkpoint';
import type { RunControl } from './control';
import { makeBatch, sampleTensors, type Batch, type FeedMap } from './feeds';
import { GradientSampler } from './grad-sampler';
import { checkpointTensors, type ModelValues } from './model-values';
import { monitorValue } from './monitor';
import type { BestResult, DoneReason, EngineEvent, Metrics, TrainOptions, TrainResult } from './protocol';
import { gradRecord } from './run-dir';
import { setupRun, type RunSetup } from './run-setup';
import { epochOrder, stepSeed } from './seeds';
import { batchAt, batchesByRow, type StepResult, type StepsResult } from './step-runner';
import { collectYoungGarbage } from './young-gc';

export interface TrainRequestData {
  modelPath: string;
  text: string;
  options: TrainOptions;
}

export interface TrainContext {
  /** Id of the train request; tags every event of the run. */
  run: number;
  emit: (event: EngineEvent) => void;
  control: RunControl;
}

/** Names the way shuffles and dropout seeds derive from the run seed (see seeds.ts). */
const CHECKPOINT_RNG_SCHEME = 'layerwise-seed-position-v1';

interface EpochSums {
  loss: number;
  samples: number;
  metrics: Record<string, number>;
}

function means(s: EpochSums): { loss: number; metrics: Metrics } {
  const n = Math.max(1, s.samples);
  return { loss: s.loss / n, metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, v / n])) };
}

function displayLr(lr: number): string {
  return Number(lr.toPrecision(3)).toString();
}

/** Knobs for tests and benchmarks, not part of the request protocol. */
export interface TrainTuning {
  /** Updates per run, fixed (still at most the runner's limit and the epoch's full batches); default: by measured time. */
  stepsPerRun?: number;
}

export async function train(req: TrainRequestData, ctx: TrainContext, tuning: TrainTuning = {}): Promise<TrainResult> {
  const setup = await setupRun(req, (code, message, layer) => ctx.emit({ type: 'warning', run: ctx.run, code, message, layer }));
  return new TrainingLoop(setup, req.options ?? {}, ctx, tuning).run();
}

/** Longest a run of several updates should take, whatever the step-event rate. */
const MAX_RUN_MS = 250;

/**
 * How many updates the next run takes: as many as fit in `targetMs` at the measured time per
 * update, between 1 and `limit`. It starts at 1 and follows the measurements; how updates are
 * grouped never changes the numbers (the Loop's updates are bit-identical to single steps), only
 * how often the trainer looks up between them.
 */
export class RunLength {
  private msPerStep: number | undefined;

  constructor(
    private readonly limit: number,
    private readonly targetMs: number,
    private readonly fixed?: number,
  ) {}

  next(): number {
    if (this.fixed !== undefined) return Math.max(1, Math.min(this.limit, Math.floor(this.fixed)));
    if (this.msPerStep === undefined) return 1;
    return Math.max(1, Math.min(this.limit, Math.floor(this.targetMs / Math.max(1e-3, this.msPerStep))));
  }

  /** A run of `steps` updates took `ms`; the first runs (arena warm-up) weigh less as more come. */
  record(steps: number, ms: number): void {
    const per = ms / Math.max(1, steps);
    this.msPerStep = this.msPerStep === undefined ? per : (this.msPerStep + per) / 2;
  }
}

/** How the run ended, filled in by the loop. */
interface Ending {
  reason: DoneReason;
  message: string;
  layer?: string;
}

class TrainingLoop {
  private step: number;
  private best: BestResult | undefined;
  private lastCheckpoint: string | undefined;
  private readonly stepInterval: number;
  private readonly statsInterval: number;
  // Event pacing on the monotonic sub-millisecond clock: with Date.now(), updates shorter than a
  // millisecond fell in the same tick and their events were dropped even when every one was asked for.
  private lastStepEvent = -Infinity;
  private lastStats = -Infinity;
  private samplesSinceEvent = 0;
  private windowStart = performance.now();
  /** Histograms: interval in ms (0 = none), the sampler and the batch of the last update. */
  private readonly histogramInterval: number;
  private sampler: GradientSampler | undefined;
  private lastHistograms = 0;
  private lastBatch: { batch: Batch; seed: bigint } | undefined;
  /** The stacked batches' arrays, refilled for every Loop run (each is dead once its run returns). */
  /** The training split as the Loop model's sample tensors, made on the first Loop run. */
  private trainSamples: FeedMap | undefined;
  private readonly runLength: RunLength;
  /** Updates of an epoch that have a full batch (the last one may not). */
  private readonly fullUpdates: number;

  constructor(
    private readonly s: RunSetup,
    options: TrainOptions,
    private readonly ctx: TrainContext,
    tuning: TrainTuning = {},
  ) {
    this.step = s.progress.step;
    this.best = s.best;
    this.stepInterval = 1000 / Math.max(0.1, options.maxStepEventsPerSecond ?? 10);
    this.runLength = new RunLength(s.runner.steps ? s.maxStepsPerRun : 1, Math.min(this.stepInterval, MAX_RUN_MS), tuning.stepsPerRun);
    this.fullUpdates = Math.floor(s.data.train.count / s.plan.updateSize);
    this.statsInterval = 1000 * Math.max(0.05, options.gradStatsIntervalSeconds ?? 1);
    const histogramSeconds = options.histogramIntervalSeconds ?? 0;
    this.histogramInterval = histogramSeconds > 0 ? 1000 * Math.max(0.25, histogramSeconds) : 0;
    if (this.histogramInterval > 0) this.sampler = new GradientSampler(s.compiled, { provider: s.provider, threads: options.threads });
  }

  private emit(event: EngineEvent): void {
    this.ctx.emit(event);
  }

  async run(): Promise<TrainResult> {
    const { s, ctx } = this;
    this.emit({
      type: 'started',
      run: ctx.run,
      model: s.prepared.name,
      provider: s.provider,
      providerReason: s.providerReason,
      runDir: s.folder.dir,
      epochs: s.epochs,
      startEpoch: s.progress.epoch + 1,
      stepsPerEpoch: s.updatesPerEpoch,
      trainSamples: s.data.train.count,
      validationSamples: s.data.validation?.count ?? 0,
      testSamples: s.data.test?.count ?? 0,
      batchSize: s.plan.updateSize,
      microBatch: s.plan.microBatch,
      accumulate: s.plan.accumulate,
      params: s.prepared.summary.totalParams,
    });
    if (s.progress.epoch >= s.epochs) {
      return this.finish(s.progress.epoch, { reason: 'completed', message: `the checkpoint has already completed ${s.progress.epoch} of ${s.epochs} epochs; pass more epochs to continue` });
    }
    let ending: Ending | undefined;
    let epoch = s.progress.epoch + 1;
    for (; epoch <= s.epochs && !ending; epoch++) ending = await this.runEpoch(epoch);
    const done = ending && ending.reason !== 'early_stopping' ? epoch - 2 : epoch - 1;
    return this.finish(done, ending ?? { reason: 'completed', message: `completed ${s.epochs} epochs` });
  }

  /** One epoch; returns how the run ends when it ends in (or right after) this epoch. */
  private async runEpoch(epoch: number): Promise<Ending | undefined> {
    const { s, ctx } = this;
    const first = epoch === s.progress.epoch + 1;
    const startAt = first ? s.progress.batchInEpoch : 0;
    const saved = first && startAt > 0 ? s.progress.epochSums : undefined;
    const sums: EpochSums = saved ? { ...saved, metrics: { ...saved.metrics } } : { loss: 0, samples: 0, metrics: Object.fromEntries(s.compiled.config.metrics.map((m) => [m, 0])) };
    const order = epochOrder(s.seed, epoch, s.data.train.count);
    const started = Date.now();
    let lr = 0;
    for (let u = startAt; u < s.updatesPerEpoch; ) {
      // Let IPC messages (pause/stop) in, then honour them.
      await new Promise<void>((r) => setImmediate(r));
      const gate = await ctx.control.gate(
        () => this.emit({ type: 'paused', run: ctx.run, step: this.step }),
        () => this.emit({ type: 'resumed', run: ctx.run, step: this.step }),
      );
      if (gate === 'stop') {
        this.saveCheckpoint('last', this.progress(epoch - 1, u, sums), s.runner.values());
        return { reason: 'stopped', message: `stopped at epoch ${epoch}, step ${this.step}` };
      }
      // Several updates in one run only while each has a full batch: the stacked batches share a shape.
      const count = u < this.fullUpdates ? Math.min(this.runLength.next(), this.fullUpdates - u) : 1;
      const lrs = Array.from({ length: count }, (_, i) => learningRate(s.compiled.config.schedule, s.compiled.config.optimizer, this.step + i, s.updatesPerEpoch, s.epochs));
      const t0 = performance.now();
      const run = await this.update(order, u, lrs);
      // Frees the run's dead output copies while they are young (src/engine/young-gc.ts).
      collectYoungGarbage();
      this.runLength.record(count, performance.now() - t0);
      for (const result of run.steps) {
        this.step++;
        u++;
        sums.loss += result.lossSum;
        sums.samples += result.samples;
        for (const m of Object.keys(sums.metrics)) sums.metrics[m] += result.metricSums[m] ?? 0;
      }
      if (run.nonFinite) {
        lr = lrs[run.steps.length];
        this.saveCheckpoint('last', this.progress(epoch - 1, u, sums), s.runner.values());
        const { layer, where } = run.nonFinite;
        return {
          reason: 'nonfinite',
          layer,
          message:
            `training stopped at epoch ${epoch}, step ${this.step + 1}: NaN or infinite values appeared in ${where}` +
            `${layer && !where.includes(layer) ? ` (layer '${layer}')` : ''}. ` +
            `The learning rate (${displayLr(lr)}) is probably too high: lower it (e.g. optimizer: {lr: ${displayLr(s.compiled.config.optimizer.lr / 10)}}) or set optimizer.clip_norm.`,
        };
      }
      lr = lrs[count - 1];
      this.report(epoch, u - 1, sums, run.steps, lr);
      await this.maybeHistograms();
    }
    return this.endEpoch(epoch, sums, lr, (Date.now() - started) / 1000);
  }

  /**
   * Updates `u` to `u + lrs.length - 1` of the epoch order, one learning rate each: a single
   * update over its micro-batches, or several (one full batch each) stacked into one run.
   */
  private async update(order: Int32Array, u: number, lrs: number[]): Promise<StepsResult> {
    const { s } = this;
    const size = s.plan.updateSize;
    const start = u * size;
    if (lrs.length === 1 || !s.runner.steps) {
      const end = Math.min(s.data.train.count, start + size);
      const batches = microBatches(start, end, s.plan.microBatch).map(([a, b]) => makeBatch(s.data.plan, s.data.train, order, a, b));
      const seeds = batches.map((_, i) => stepSeed(s.seed, this.step, i));
      if (this.sampler) this.lastBatch = { batch: batches[0], seed: seeds[0] };
      const result = await s.runner.step(batches, lrs[0], this.step + 1, seeds);
      return result.nonFinite ? { steps: [], nonFinite: result.nonFinite } : { steps: [result] };
    }
    const count = lrs.length;
    this.trainSamples ??= sampleTensors(s.data.plan, s.data.train);
    const stacked = batchesByRow(this.trainSamples, order, start, count, size);
    const numbers = Array.from({ length: count }, (_, i) => this.step + 1 + i);
    const seeds = numbers.map((n) => stepSeed(s.seed, n - 1, 0));
    if (this.sampler) this.lastBatch = { batch: batchAt(stacked, count - 1), seed: seeds[count - 1] };
    return s.runner.steps(stacked, lrs, numbers, seeds);
  }

  /**
   * Step and gradient-statistics events after a run of `results` ending with update `u`, each at
   * most at its rate (and at the end of an epoch), about the run's last update.
   */
  private report(epoch: number, u: number, sums: EpochSums, results: StepResult[], lr: number): void {
    const { s, ctx } = this;
    const result = results[results.length - 1];
    for (const r of results) this.samplesSinceEvent += r.samples;
    const now = performance.now();
    if (now - this.lastStepEvent >= this.stepInterval || u === s.updatesPerEpoch - 1) {
      const avg = means(sums);
      this.emit({
        type: 'step',
        run: ctx.run,
        epoch,
        step: this.step,
        stepInEpoch: u + 1,
        stepsPerEpoch: s.updatesPerEpoch,
        loss: avg.loss,
        batchLoss: result.lossSum / Math.max(1, result.samples),
        metrics: avg.metrics,
        lr,
        samplesPerSec: this.samplesSinceEvent / Math.max(1e-3, (now - this.windowStart) / 1000),
      });
      s.folder.appendStep({ epoch, step: this.step, loss: avg.loss, batchLoss: result.lossSum / Math.max(1, result.samples), metrics: avg.metrics, lr, samplesPerSec: this.samplesSinceEvent / Math.max(1e-3, (now - this.windowStart) / 1000) });
      this.lastStepEvent = now;
      this.windowStart = now;
      this.samplesSinceEvent = 0;
    }
    // Also at each epoch's end, so that a fast run still charts its gradients once per epoch.
    if (now - this.lastStats >= this.statsInterval || u === s.updatesPerEpoch - 1) {
      const stats = result.stats();
      if (stats.params.length) {
        this.emit({ type: 'gradStats', run: ctx.run, step: this.step, globalGradNorm: stats.globalGradNorm, params: stats.params, ...(stats.timeSteps ? { timeSteps: stats.timeSteps } : {}) });
        s.folder.appendGrads(gradRecord(epoch, this.step, stats.globalGradNorm, stats.params));
      }
      this.lastStats = now;
    }
  }

  /** Gradient and weight histograms of the last update's batch, at most at their rate. */
  private async maybeHistograms(): Promise<void> {
    const { sampler, lastBatch } = this;
    const now = Date.now();
    if (!sampler || !lastBatch || now - this.lastHistograms < this.histogramInterval) return;
    this.lastHistograms = now;
    try {
      const params = await sampler.sample(lastBatch.batch, this.s.runner.values().params, lastBatch.seed);
      this.emit({ type: 'histograms', run: this.ctx.run, step: this.step, params });
    } catch {
      // Histograms are a view, not part of training: a model whose gradient step cannot be
      // built or run this way simply trains without them.
      this.sampler = undefined;
    }
  }

  /** Validation, the epoch's numbers, checkpoints and the early-stopping decision. */
  private async endEpoch(epoch: number, sums: EpochSums, lr: number, seconds: number): Promise<Ending | undefined> {
    const { s, ctx } = this;
    const train = means(sums);
    const current = s.runner.values();
    let valLoss: number | undefined;
    let valMetrics: Metrics | undefined;
    if (s.hasValidation) {
      const v = await s.evaluator.evaluate(s.data.validation!, current.params, s.evalBatch);
      valLoss = v.loss;
      valMetrics = v.metrics;
    }
    this.emit({ type: 'epochEnd', run: ctx.run, epoch, epochs: s.epochs, loss: train.loss, metrics: train.metrics, valLoss, valMetrics, lr, seconds });
    s.folder.appendMetrics({ epoch, step: this.step, loss: train.loss, metrics: train.metrics, valLoss, valMetrics, lr, seconds, time: new Date().toISOString() });
    const { monitor } = s;
    if (monitor.update(epoch, monitorValue(monitor.name, { loss: train.loss, metrics: train.metrics, valLoss, valMetrics }))) {
      this.best = { epoch, monitor: monitor.name, value: monitor.best!, loss: train.loss, metrics: train.metrics, valLoss, valMetrics, checkpoint: s.folder.best };
      this.saveCheckpoint('best', this.progress(epoch, 0), current);
    }
    this.saveCheckpoint('last', this.progress(epoch, 0), current);
    const es = s.prepared.run.earlyStopping;
    if (es && monitor.exhausted(es.patience) && epoch < s.epochs) {
      const n = monitor.epochsWithoutImprovement;
      return {
        reason: 'early_stopping',
        message: `early stopping after epoch ${epoch}: ${monitor.name} has not improved for ${n} epoch${n === 1 ? '' : 's'} (best ${monitor.best?.toPrecision(4)} at epoch ${monitor.bestEpoch})`,
      };
    }
    return undefined;
  }

  /** The position to save: `epochDone` full epochs plus `inEpoch` updates of the next one. */
  private progress(epochDone: number, inEpoch: number, sums?: EpochSums): TrainingProgress {
    const snap = this.s.monitor.snapshot;
    return {
      step: this.step,
      epoch: epochDone,
      batchInEpoch: inEpoch,
      epochSums: inEpoch > 0 && sums ? { loss: sums.loss, samples: sums.samples, metrics: { ...sums.metrics } } : undefined,
      monitorBest: snap.best,
      monitorBestEpoch: snap.bestEpoch,
      epochsWithoutImprovement: snap.epochsWithoutImprovement,
      best: this.best as unknown as Record<string, unknown> | undefined,
    };
  }

  private saveCheckpoint(kind: 'best' | 'last', at: TrainingProgress, values: ModelValues): void {
    const { s, ctx } = this;
    const file = kind === 'best' ? s.folder.best : s.folder.last;
    const content: CheckpointContent = {
      kind,
      model: s.prepared.name,
      modelHash: s.prepared.hash,
      seed: s.seed,
      rng: { scheme: CHECKPOINT_RNG_SCHEME },
      progress: at,
      config: { run: s.prepared.run, epochs: s.epochs, training: s.compiled.config },
    };
    writeCheckpoint(file, content, checkpointTensors(s.compiled, values));
    if (kind === 'last') this.lastCheckpoint = file;
    this.emit({ type: 'checkpoint', run: ctx.run, path: file, kind, epoch: at.epoch, step: at.step });
  }

  /** The final test evaluation (when a test split exists), the done event and the result. */
  private async finish(epochs: number, ending: Ending): Promise<TrainResult> {
    const { s, ctx } = this;
    let test: TrainResult['test'];
    if (ending.reason !== 'nonfinite' && s.data.test && s.data.test.count > 0) {
      const t = await s.evaluator.evaluate(s.data.test, s.runner.values().params, s.evalBatch);
      test = { loss: t.loss, metrics: t.metrics, samples: t.samples };
    }
    this.emit({ type: 'done', run: ctx.run, reason: ending.reason, message: ending.message, best: this.best, epochs, layer: ending.layer, test });
    return { reason: ending.reason, runDir: s.folder.dir, epochs, best: this.best, last: this.lastCheckpoint, test };
  }
}
