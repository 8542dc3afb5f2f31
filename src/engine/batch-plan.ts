// How many samples go into each optimizer update and how they are split into micro-batches.
// `accumulate: k` makes an update out of k micro-batches of `batch_size`; independently, when
// the estimated memory of one micro-batch exceeds the budget, micro-batches are split further
// (the update still sees the same samples, so training behaves the same, only slower).
import type { ModelSummary } from '../analysis/types';
import type { CompiledModel } from '../compiler/types';

export interface BatchPlan {
  /** Samples per optimizer update. */
  updateSize: number;
  /** Largest number of samples in one run of the graph. */
  microBatch: number;
  /** Micro-batches per full update (updateSize / microBatch, rounded up). */
  accumulate: number;
  /** Estimated peak memory of one micro-batch step, in MiB. */
  estimateMb: number;
  budgetMb: number;
  /** Set when the budget forced smaller micro-batches than written. */
  autoSplit?: { from: number; to: number };
  /** Set when even one sample is estimated above the budget. */
  overBudget?: boolean;
}

const MIB = 1024 * 1024;
/** Memory budget when neither the model nor the host sets one. */
export const DEFAULT_MEMORY_BUDGET_MB = 2048;
/** Backward keeps the forward activations and adds gradients of about the same size. */
export const BACKWARD_FACTOR = 3;

/** Estimated bytes of one train step on `batch` samples: params, gradients, optimizer state and activations. */
export function stepMemoryBytes(summary: ModelSummary, compiled: Pick<CompiledModel, 'params' | 'state'>, batch: number): number {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const paramBytes = 4 * compiled.params.reduce((a, p) => a + size(p.shape), 0);
  const gradBytes = 4 * compiled.params.filter((p) => p.trainable).reduce((a, p) => a + size(p.shape), 0);
  const stateBytes = 4 * compiled.state.reduce((a, s) => a + size(s.shape), 0);
  return paramBytes + gradBytes + stateBytes + summary.totalActivationBytes * batch * BACKWARD_FACTOR;
}

export function planBatches(summary: ModelSummary, compiled: Pick<CompiledModel, 'params' | 'state'>, batchSize: number, accumulate: number, budgetMb: number): BatchPlan {
  const updateSize = batchSize * accumulate;
  const fits = (b: number) => stepMemoryBytes(summary, compiled, b) <= budgetMb * MIB;
  let micro = batchSize;
  let overBudget = false;
  if (!fits(micro)) {
    // Largest micro-batch that fits, found by halving then refining (memory is linear in it).
    const fixed = stepMemoryBytes(summary, compiled, 0);
    const perSample = summary.totalActivationBytes * BACKWARD_FACTOR;
    const room = budgetMb * MIB - fixed;
    micro = perSample > 0 && room > 0 ? Math.max(1, Math.min(batchSize, Math.floor(room / perSample))) : 1;
    overBudget = !fits(micro);
    // Equal-sized micro-batches: split each written batch into k parts of at most `micro`.
    const parts = Math.ceil(batchSize / micro);
    micro = Math.ceil(batchSize / parts);
  }
  const plan: BatchPlan = {
    updateSize,
    microBatch: micro,
    accumulate: Math.ceil(updateSize / micro),
    estimateMb: stepMemoryBytes(summary, compiled, micro) / MIB,
    budgetMb,
  };
  if (micro < batchSize) plan.autoSplit = { from: batchSize, to: micro };
  if (overBudget) plan.overBudget = true;
  return plan;
}

/** Micro-batch boundaries [start, end) of an update covering samples [start, end) of the epoch order. */
export function microBatches(start: number, end: number, micro: number): [number, number][] {
  const out: [number, number][] = [];
  const n = end - start;
  const parts = Math.ceil(n / micro);
  // Spread the samples evenly over the parts so no micro-batch is tiny.
  for (let i = 0; i < parts; i++) out.push([start + Math.floor((i * n) / parts), start + Math.floor(((i + 1) * n) / parts)]);
  return out;
}
