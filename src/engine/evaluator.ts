// Runs the eval graph (eval-mode forward: running statistics, no dropout) over a data split in
// batches and averages loss and metrics over the samples.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { CompiledModel } from '../compiler/types';
import type { Dataset } from './data/types';
import type { FeedMap, FeedPlan } from './feeds';
import { identityOrder, makeBatch } from './feeds';
import type { Metrics } from './protocol';
import { ort } from './ort';

export interface EvalNumbers {
  loss: number;
  metrics: Metrics;
  samples: number;
}

/** Samples per eval batch: large enough to be quick, small enough to bound memory. */
export function evalBatchSize(trainBatch: number, activationBytesPerSample: number, budgetBytes: number): number {
  const byMemory = activationBytesPerSample > 0 ? Math.floor(budgetBytes / (2 * activationBytesPerSample)) : 1024;
  return Math.max(1, Math.min(Math.max(trainBatch, 256), byMemory, 4096));
}

export class Evaluator {
  constructor(
    private readonly compiled: CompiledModel,
    private readonly session: InferenceSession,
    private readonly plan: FeedPlan,
  ) {}

  private paramFeeds(params: ReadonlyMap<string, Float32Array>): FeedMap {
    const feeds: FeedMap = {};
    for (const p of this.compiled.params) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape);
    return feeds;
  }

  async evaluate(data: Pick<Dataset, 'x' | 'y' | 'count'>, params: ReadonlyMap<string, Float32Array>, batchSize: number): Promise<EvalNumbers> {
    const io = this.compiled.evalIO;
    const base = this.paramFeeds(params);
    const order = identityOrder(data.count);
    let lossSum = 0;
    const sums: Record<string, number> = {};
    for (const m of io.metrics) sums[m.metric] = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const end = Math.min(data.count, start + batchSize);
      const batch = makeBatch(this.plan, data, order, start, end);
      const out = await this.session.run({ ...base, ...batch.feeds }, [io.loss, ...io.metrics.map((m) => m.output)]);
      lossSum += Number((out[io.loss].data as Float32Array)[0]) * batch.samples;
      for (const m of io.metrics) sums[m.metric] += Number((out[m.output].data as Float32Array)[0]);
    }
    const n = Math.max(1, data.count);
    const metrics: Metrics = {};
    for (const m of io.metrics) metrics[m.metric] = sums[m.metric] / n;
    return { loss: lossSum / n, metrics, samples: data.count };
  }

  /** The model outputs (by output layer id) for the given feature/label feeds. */
  async outputs(feeds: FeedMap, params: ReadonlyMap<string, Float32Array>): Promise<Map<string, Tensor>> {
    const io = this.compiled.evalIO;
    const out = await this.session.run({ ...this.paramFeeds(params), ...feeds }, io.outputs.map((o) => o.output));
    return new Map(io.outputs.map((o) => [o.layer, out[o.output]]));
  }
}
