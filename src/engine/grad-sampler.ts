// Gradient and weight histograms for the editor, sampled at a bounded rate: the fused train step
// keeps gradients inside ORT, so a separate gradient-step session (the graph gradient
// accumulation uses) runs on the current batch and current weights now and then. It changes no
// weights, statistics or random streams, so runs stay bit-identical with or without it.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { compileAccumulation } from '../compiler/compile';
import type { CompiledModel, GradStepIO } from '../compiler/types';
import type { Batch, FeedMap } from './feeds';
import { histogram } from './histogram';
import { ort } from './ort';
import type { ParamHistogram } from './protocol';
import { createSession, type SessionSettings } from './providers';

export class GradientSampler {
  private opened: Promise<{ session: InferenceSession; io: GradStepIO }> | undefined;

  constructor(
    private readonly compiled: CompiledModel,
    private readonly settings: SessionSettings,
    private readonly bins?: number,
  ) {}

  private open(): Promise<{ session: InferenceSession; io: GradStepIO }> {
    this.opened ??= (async () => {
      const graphs = compileAccumulation(this.compiled);
      const created = await createSession(graphs.grad, this.settings, 'gradient histograms');
      return { session: created.session, io: graphs.gradIO };
    })();
    return this.opened;
  }

  /** Histograms of every trainable tensor and its gradient on `batch`, with `params` as they are now. */
  async sample(batch: Batch, params: Map<string, Float32Array>, seed: bigint): Promise<ParamHistogram[]> {
    const { session, io } = await this.open();
    const feeds: FeedMap = { ...batch.feeds, [io.seed]: new ort.Tensor('int64', BigInt64Array.of(seed), []) };
    for (const p of this.compiled.params) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape);
    const out: Record<string, Tensor> = await session.run(feeds);
    const byName = new Map(this.compiled.params.map((p) => [p.name, p]));
    return io.grads.map((g) => {
      const p = byName.get(g.param);
      return {
        name: g.param,
        layer: p?.layer ?? g.param,
        param: p?.param ?? g.param,
        gradient: histogram(out[g.output].data as Float32Array, this.bins),
        weight: histogram(params.get(g.param)!, this.bins),
      };
    });
  }
}
