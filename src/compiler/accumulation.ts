// The train step split in two halves, for gradient accumulation and for `layerwise grad`:
// - the gradient step: forward (train mode), loss and backward, returning the raw gradients (no
//   clipping, no weight decay), the new running statistics, the loss, the metric sums and the
//   per-layer finite codes;
// - the apply step: global-norm clipping of given gradients and the optimizer update, with the
//   train step's per-parameter statistics and finite codes over the same layers.
// Both are built from the train step's own halves (trainstep.ts), so chained once they compute
// exactly what the train step computes.
import { Graph } from '../onnx/graph';
import type { ApplyStepIO, GradStepIO } from './types';
import { CONTROL, namedOutput } from './io';
import { declareStepData, lossAndGradients, namedLossAndMetrics, namedTimeNorms, namedUpdates, optimizerUpdate, trainableParams, type TrainGraphSpec } from './trainstep';
import { layerCodes } from './finite';
import { pack, poison, sumSquares } from './stats';
import { scalarConst } from './lower/scalars';

export function buildGradGraph(spec: Omit<TrainGraphSpec, 'state'>): { graph: Graph; io: GradStepIO } {
  const g = new Graph('grad_step');
  const data = declareStepData(g, spec);
  const seed = g.input(CONTROL.seed, 'int64', []);
  const lg = lossAndGradients(g, spec, data, seed);
  const named = namedLossAndMetrics(g, lg);
  const io: GradStepIO = {
    features: data.features,
    labels: data.labels,
    params: spec.params.map((p) => p.name),
    seed,
    loss: named.loss,
    metrics: named.metrics,
    grads: lg.trainable.map((p, i) => ({ param: p.name, output: namedOutput(g, lg.grads[i], `grad.${p.name}`) })),
    updates: namedUpdates(g, lg.fwd),
    nonFinite: namedOutput(g, lg.codes, 'lw.non_finite'),
    finiteLayers: lg.fwd.order.map((l) => l.spec.id),
    timeGradNorms: namedTimeNorms(g, lg),
  };
  return { graph: g, io };
}

/** `finiteLayers`: the train step's layer order, the index space of the apply step's codes. */
export function buildApplyGraph(spec: TrainGraphSpec, finiteLayers: readonly string[]): { graph: Graph; io: ApplyStepIO } {
  const { dtype, state } = spec;
  const g = new Graph('apply_step');
  const trainable = trainableParams(spec.params);
  for (const p of trainable) g.input(p.name, dtype, p.shape);
  for (const s of state) g.input(s.name, dtype, s.shape);
  const grads = trainable.map((p) => ({ param: p.name, input: g.input(`grad.${p.name}`, dtype, p.shape) }));
  const lr = g.input(CONTROL.lr, dtype, []);
  const step = g.input(CONTROL.step, 'int64', []);

  const gradSq = pack(g, grads.map((gi) => sumSquares(g, gi.input)));
  const upd = optimizerUpdate(g, { config: spec.config, state, dtype, trainable, grads: grads.map((gi) => gi.input), gradSq, lr, step });
  // A parameter is bad when its accumulated gradient or its new value is not finite.
  const zero = scalarConst(g, dtype, 0);
  const paramPoison = g.op('Add', [g.op('Mul', [gradSq, zero]), pack(g, upd.newParams.map((v) => poison(g, v, dtype)))]);
  const io: ApplyStepIO = {
    params: trainable.map((p) => p.name),
    state: state.map((s) => s.name),
    grads,
    lr,
    step,
    carries: upd.carries,
    gradNorm: upd.gradNorm,
    weightNorm: upd.weightNorm,
    updateRatio: upd.updateRatio,
    statParams: trainable.map((p) => p.name),
    globalGradNorm: upd.globalGradNorm,
    gradMeanAbs: upd.gradMeanAbs,
    nonFinite: namedOutput(g, layerCodes(g, finiteLayers, undefined, trainable, paramPoison, dtype), 'lw.non_finite'),
    finiteLayers: [...finiteLayers],
  };
  return { graph: g, io };
}
