// Two graphs that split the compiler's train step in halves, for gradient accumulation and for
// `layerwise grad`:
// - the gradient step: forward (train mode) + loss + backward, returning the raw gradients (no
//   clipping, no weight decay), the new running statistics, the loss, the metric sums and the
//   per-layer finite flags;
// - the apply step: global-norm clipping of given gradients and the optimizer update, with the
//   same per-parameter statistics as the train step.
// Chained (one gradient step, then apply) they compute exactly what the fused train step does.
// They are assembled from the compiler's own building blocks so both share one definition of the
// forward pass, the losses and the optimizers.
// NOTE: this belongs in the compiler (CompiledModel.grad / CompiledModel.apply); it lives here
// until the compiler exposes a gradient-only mode.
import { attr, Graph, serializeModel } from '../onnx/graph';
import type { Carry, CompiledModel, FeatureInput, LabelInput, MetricOutput, TrainStepIO } from '../compiler/types';
import { buildLoss, labelInput } from '../compiler/losses';
import { buildMetric } from '../compiler/metrics';
import { buildForward } from '../compiler/lower/forward';
import { outputShape } from '../compiler/lower/attrs';
import { CONTROL, declareFeatures, featureInputs, namedOutput } from '../compiler/io';
import { optimizers } from '../compiler/optimizers';
import { decays } from '../compiler/params';
import { nanFlags, pack, poison, safeRatio, sumSquares } from '../compiler/stats';
import { scalarConst } from '../compiler/lower/scalars';
import { onnxType } from '../compiler/lower/dtype';
import { addBackward } from '../compiler/autodiff/backward';
import { nonFiniteCodes } from '../compiler/finite';

export interface GradStepIO {
  features: FeatureInput[];
  labels: LabelInput;
  /** Every param (trainable and running statistics). */
  params: string[];
  seed: string;
  loss: string;
  metrics: MetricOutput[];
  /** Raw gradient of the batch-mean loss, per trainable param. */
  grads: { param: string; output: string }[];
  /** New running statistics (BatchNorm), fed back like the train step's carries. */
  updates: Carry[];
  /** Codes per layer as the train step's (see `firstNonFiniteLayer`). */
  nonFinite: string;
  finiteLayers: string[];
}

/** The apply step shares the train step's update inputs, carries and statistics outputs. */
export interface ApplyStepIO
  extends Pick<TrainStepIO, 'lr' | 'step' | 'carries' | 'gradNorm' | 'weightNorm' | 'updateRatio' | 'statParams' | 'globalGradNorm'> {
  /** Trainable params only. */
  params: string[];
  state: string[];
  /** Gradient inputs, one per trainable param. */
  grads: { param: string; input: string }[];
  /** float [P]: 1 where that param's new value holds NaN/Inf. */
  nonFinite: string;
}

export interface AccumulationGraphs {
  grad: Uint8Array;
  gradIO: GradStepIO;
  apply: Uint8Array;
  applyIO: ApplyStepIO;
}

export function buildGradStep(compiled: CompiledModel): { model: Uint8Array; io: GradStepIO } {
  const { summary, options, name } = compiled.source;
  const { config, params } = compiled;
  const dtype = options.precision ?? 'float32';
  const labelKind = options.labels ?? 'indices';
  const g = new Graph('grad_step');
  const features = featureInputs(summary, dtype);
  const featureValues = declareFeatures(g, features);
  const outLayer = summary.layers.find((l) => l.spec.id === config.loss.output)!;
  const outShape = outputShape(outLayer);
  const labels = labelInput(config.loss, outShape, labelKind, dtype);
  g.input(labels.name, labels.dtype, ['N', ...labels.shape]);
  for (const p of params) g.input(p.name, dtype, p.shape);
  const seed = g.input(CONTROL.seed, 'int64', []);

  const fwd = buildForward(g, summary, { mode: 'train', dtype, param: (n) => n, features: featureValues, seed });
  const out = fwd.results.get(config.loss.output)!;
  const loss = buildLoss(g, config.loss, out, outShape, labels.name, labelKind, dtype);
  const metricInputs = { g, loss: config.loss, out, outShape, labels: labels.name, labelKind, dtype };
  const metricValues = config.metrics.map((m) => ({ metric: m, value: buildMetric(metricInputs, m) }));
  const trainable = params.filter((p) => p.trainable);
  const grads = addBackward(g, loss, trainable.map((p) => p.name));

  const gradOutputs = trainable.map((p) => ({ param: p.name, output: namedOutput(g, grads.get(p.name)!, `grad.${p.name}`) }));
  const updates: Carry[] = [...fwd.updates].map(([input, value]) => ({ input, output: namedOutput(g, value, `${input}.new`) }));
  const codes = nonFiniteCodes(g, fwd, trainable, trainable.map((p) => sumSquares(g, grads.get(p.name)!)), dtype);
  const io: GradStepIO = {
    features,
    labels,
    params: params.map((p) => p.name),
    seed,
    loss: namedOutput(g, loss, 'lw.loss'),
    metrics: metricValues.map((m) => ({ metric: m.metric, output: namedOutput(g, m.value, `lw.metric.${m.metric}`) })),
    grads: gradOutputs,
    updates,
    nonFinite: namedOutput(g, codes, 'lw.non_finite'),
    finiteLayers: fwd.order.map((l) => l.spec.id),
  };
  return { model: serializeModel(g, { metadata: { 'layerwise.model': name } }), io };
}

export function buildApplyStep(compiled: CompiledModel): { model: Uint8Array; io: ApplyStepIO } {
  const { options, name } = compiled.source;
  const { config, params, state } = compiled;
  const dtype = options.precision ?? 'float32';
  const g = new Graph('apply_step');
  const c = (v: number) => scalarConst(g, dtype, v);
  const trainable = params.filter((p) => p.trainable);
  for (const p of trainable) g.input(p.name, dtype, p.shape);
  for (const s of state) g.input(s.name, dtype, s.shape);
  const gradInputs = trainable.map((p) => ({ param: p.name, input: g.input(`grad.${p.name}`, dtype, p.shape) }));
  const lr = g.input(CONTROL.lr, dtype, []);
  const step = g.input(CONTROL.step, 'int64', []);

  const gradSqVec = pack(g, gradInputs.map((gi) => sumSquares(g, gi.input)));
  const globalNorm = g.op('Sqrt', [g.op('ReduceSum', [gradSqVec], { keepdims: attr.int(0) })]);
  let scale: string | undefined;
  if (config.optimizer.clipNorm > 0) {
    const clip = c(config.optimizer.clipNorm);
    scale = g.op('Div', [clip, g.op('Max', [globalNorm, clip])]);
  }
  const opt = optimizers[config.optimizer.type].bind({ g, dtype, cfg: config.optimizer, lr, step: g.op('Cast', [step], { to: attr.int(onnxType(dtype)) }) });
  const carries: Carry[] = [];
  const weightSq: string[] = [];
  const deltaSq: string[] = [];
  const poisoned: string[] = [];
  trainable.forEach((p, i) => {
    g.layer = p.layer;
    const raw = gradInputs[i].input;
    const grad = scale ? g.op('Mul', [raw, scale]) : raw;
    const slots = Object.fromEntries(state.filter((s) => s.param === p.name).map((s) => [s.slot, s.name]));
    const next = opt.update({ param: p.name, grad, state: slots, decay: decays(p) });
    weightSq.push(sumSquares(g, p.name));
    deltaSq.push(sumSquares(g, g.op('Sub', [next.param, p.name])));
    poisoned.push(poison(g, next.param, dtype));
    carries.push({ input: p.name, output: namedOutput(g, next.param, `${p.name}.new`) });
    for (const [slot, value] of Object.entries(next.state)) carries.push({ input: slots[slot], output: namedOutput(g, value, `${slots[slot]}.new`) });
    g.layer = undefined;
  });
  const weightNormVec = g.op('Sqrt', [pack(g, weightSq)]);
  const io: ApplyStepIO = {
    params: trainable.map((p) => p.name),
    state: state.map((s) => s.name),
    grads: gradInputs,
    lr,
    step,
    carries,
    gradNorm: namedOutput(g, g.op('Sqrt', [gradSqVec]), 'lw.grad_norm'),
    weightNorm: namedOutput(g, weightNormVec, 'lw.weight_norm'),
    updateRatio: namedOutput(g, safeRatio(g, g.op('Sqrt', [pack(g, deltaSq)]), weightNormVec, dtype), 'lw.update_ratio'),
    statParams: trainable.map((p) => p.name),
    globalGradNorm: namedOutput(g, globalNorm, 'lw.global_grad_norm'),
    nonFinite: namedOutput(g, nanFlags(g, pack(g, poisoned), dtype), 'lw.non_finite'),
  };
  return { model: serializeModel(g, { metadata: { 'layerwise.model': name } }), io };
}

export function buildAccumulationGraphs(compiled: CompiledModel): AccumulationGraphs {
  const grad = buildGradStep(compiled);
  const apply = buildApplyStep(compiled);
  return { grad: grad.model, gradIO: grad.io, apply: apply.model, applyIO: apply.io };
}
