// Losses, each the mean over the batch (and over any further positions) of a per-element loss.
// Classification losses work on logits: when the model ends in softmax/sigmoid the value before
// it is used, so the loss stays numerically stable either way.
import { attr } from '../onnx/graph';
import type { Graph } from '../onnx/graph';
import type { LayerResult, FloatType } from './lower/context';
import type { LabelInput, LossConfig } from './types';
import { scalarConst } from './lower/scalars';
import { onnxType } from './lower/dtype';
import { modelError } from './fail';

export type LabelKind = 'indices' | 'probabilities';

/** Shape and type of the labels input for a loss on an output of per-sample shape `outShape`. */
export function labelInput(cfg: LossConfig, outShape: number[], kind: LabelKind, dtype: FloatType): LabelInput {
  if (cfg.type === 'cross_entropy' && kind === 'indices') return { name: 'lw.labels', dtype: 'int64', shape: outShape.slice(0, -1) };
  return { name: 'lw.labels', dtype, shape: outShape };
}

/** The logits the loss sees: the pre-activation when the output ends in the matching squashing. */
export function lossLogits(cfg: LossConfig, out: LayerResult): string {
  if (cfg.type === 'cross_entropy' && out.logits?.activation === 'softmax') return out.logits.value;
  if (cfg.type === 'binary_cross_entropy' && out.logits?.activation === 'sigmoid') return out.logits.value;
  return out.output;
}

/** Target distribution over the last axis for cross-entropy: one-hot of indices or the given probabilities, smoothed. */
function crossEntropyTarget(g: Graph, labels: string, kind: LabelKind, classes: number, smoothing: number, dtype: FloatType): string {
  let target = labels;
  if (kind === 'indices') {
    const unsq = g.op('Unsqueeze', [labels, g.ints([-1])]);
    const ids = g.ints(Array.from({ length: classes }, (_, i) => i));
    target = g.op('Cast', [g.op('Equal', [unsq, ids])], { to: attr.int(onnxType(dtype)) });
  }
  if (smoothing === 0) return target;
  return g.op('Add', [g.op('Mul', [target, scalarConst(g, dtype, 1 - smoothing)]), scalarConst(g, dtype, smoothing / classes)]);
}

/**
 * Adds the loss of `out` (per-sample shape `outShape`) against `labels`; returns the scalar.
 * - cross_entropy: -sum(target * log_softmax(z)) over the last axis.
 * - binary_cross_entropy: max(z, 0) - z y + log(1 + exp(-|z|)), stable for any z.
 * - mse: (p - y)^2.  huber: 0.5 q^2 + delta (|d| - q) with q = min(|d|, delta).
 */
export function buildLoss(g: Graph, cfg: LossConfig, out: LayerResult, outShape: number[], labels: string, kind: LabelKind, dtype: FloatType): string {
  const c = (v: number) => scalarConst(g, dtype, v);
  const meanAll = (v: string) => g.op('ReduceMean', [v], { keepdims: attr.int(0) });
  const z = lossLogits(cfg, out);
  switch (cfg.type) {
    case 'cross_entropy': {
      if (outShape.length === 0) throw modelError(`cross_entropy needs class scores on the last axis, but output '${cfg.output}' has no axes`);
      const classes = outShape[outShape.length - 1];
      const logp = g.op('LogSoftmax', [z], { axis: attr.int(-1) });
      const target = crossEntropyTarget(g, labels, kind, classes, cfg.labelSmoothing, dtype);
      const perPosition = g.op('ReduceSum', [g.op('Mul', [target, logp]), g.ints([-1])], { keepdims: attr.int(0) });
      return g.op('Neg', [meanAll(perPosition)]);
    }
    case 'binary_cross_entropy': {
      const y = cfg.labelSmoothing === 0 ? labels : g.op('Add', [g.op('Mul', [labels, c(1 - cfg.labelSmoothing)]), c(0.5 * cfg.labelSmoothing)]);
      const softplusNegAbs = g.op('Log', [g.op('Add', [c(1), g.op('Exp', [g.op('Neg', [g.op('Abs', [z])])])])]);
      return meanAll(g.op('Add', [g.op('Sub', [g.op('Relu', [z]), g.op('Mul', [z, y])]), softplusNegAbs]));
    }
    case 'mse': {
      const d = g.op('Sub', [z, labels]);
      return meanAll(g.op('Mul', [d, d]));
    }
    case 'huber': {
      const a = g.op('Abs', [g.op('Sub', [z, labels])]);
      const q = g.op('Min', [a, c(cfg.delta)]);
      const quadratic = g.op('Mul', [g.op('Mul', [q, q]), c(0.5)]);
      return meanAll(g.op('Add', [quadratic, g.op('Mul', [g.op('Sub', [a, q]), c(cfg.delta)])]));
    }
  }
}
