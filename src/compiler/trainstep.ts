// The train-step graph: forward (train mode) -> loss and metrics -> gradients (our autodiff) ->
// global-norm clipping -> optimizer update, plus per-tensor statistics and a per-layer finite
// check. One run of it is one optimizer step; the engine feeds the carries back.
// Its two halves (`lossAndGradients`, `optimizerUpdate`) are also the bodies of the gradient and
// apply steps of gradient accumulation (accumulation.ts), so all three graphs share one
// definition of forward+loss+backward and one of the update.
import { attr, Graph } from '../onnx/graph';
import type { ModelSummary } from '../analysis/types';
import type { Carry, FeatureInput, LabelInput, MetricOutput, ParamTensor, StateTensor, TimeGradNorm, TrainingConfig, TrainStepIO } from './types';
import type { FloatType } from './lower/context';
import type { LabelKind } from './losses';
import type { ForwardResult } from './lower/forward';
import { buildLoss, labelInput } from './losses';
import { buildMetric } from './metrics';
import { buildForward } from './lower/forward';
import { outputShape } from './lower/attrs';
import { CONTROL, declareFeatures, featureInputs, namedOutput } from './io';
import { optimizers } from './optimizers';
import { decays } from './params';
import { pack, safeRatio, sumSquares } from './stats';
import { nonFiniteCodes } from './finite';
import { scalarConst } from './lower/scalars';
import { onnxType } from './lower/dtype';
import { addBackward } from './autodiff/backward';
import { modelError } from './fail';

export interface TrainGraphSpec {
  summary: ModelSummary;
  config: TrainingConfig;
  params: ParamTensor[];
  state: StateTensor[];
  labelKind: LabelKind;
  dtype: FloatType;
}

/** The trainable params, in the order of every per-parameter statistic; throws when there are none. */
export function trainableParams(params: ParamTensor[]): ParamTensor[] {
  const trainable = params.filter((p) => p.trainable);
  if (trainable.length === 0) throw modelError('the model has no trainable parameters; add a Dense or Conv layer');
  return trainable;
}

/** Declares the data inputs (features, labels) and every param as inputs of `g`. */
export function declareStepData(g: Graph, spec: Omit<TrainGraphSpec, 'state'>): { features: FeatureInput[]; featureValues: Map<string, string>; labels: LabelInput } {
  const { summary, config, params, dtype } = spec;
  const features = featureInputs(summary, dtype);
  const featureValues = declareFeatures(g, features);
  const outShape = outputShape(summary.layers.find((l) => l.spec.id === config.loss.output)!);
  const labels = labelInput(config.loss, outShape, spec.labelKind, dtype);
  g.input(labels.name, labels.dtype, ['N', ...labels.shape]);
  for (const p of params) g.input(p.name, dtype, p.shape);
  return { features, featureValues, labels };
}

/** The loss (batch mean) and the metric sums on the forward pass `fwd`. */
export function lossAndMetrics(g: Graph, spec: Omit<TrainGraphSpec, 'state'>, fwd: ForwardResult, labels: LabelInput): { loss: string; metrics: { metric: string; value: string }[] } {
  const { summary, config, dtype } = spec;
  const out = fwd.results.get(config.loss.output)!;
  const outShape = outputShape(summary.layers.find((l) => l.spec.id === config.loss.output)!);
  const loss = buildLoss(g, config.loss, out, outShape, labels.name, spec.labelKind, dtype);
  const metricInputs = { g, loss: config.loss, out, outShape, labels: labels.name, labelKind: spec.labelKind, dtype };
  return { loss, metrics: config.metrics.map((m) => ({ metric: m, value: buildMetric(metricInputs, m) })) };
}

export interface LossAndGradients {
  fwd: ForwardResult;
  loss: string;
  metrics: { metric: string; value: string }[];
  trainable: ParamTensor[];
  /** Raw gradient of the batch-mean loss, aligned with `trainable`. */
  grads: string[];
  /** [P] squared L2 norm of each gradient, aligned with `trainable`. */
  gradSq: string;
  /** [L] per-layer finite codes (see `TrainStepIO.nonFinite`). */
  codes: string;
  /** Per recurrent layer, [T] gradient norms at each step of its input (see `TimeGradNorm`). */
  timeNorms: { layer: string; value: string }[];
}

const RECURRENT_KINDS = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** The input value of each recurrent layer of the forward pass (as [N, T, D]). */
function recurrentInputs(fwd: ForwardResult): { layer: string; value: string }[] {
  return fwd.order.filter((l) => RECURRENT_KINDS.has(l.kind)).map((l) => ({ layer: l.spec.id, value: fwd.results.get(l.spec.inputs[0].id)!.output }));
}

/** Forward in train mode, loss, metric sums, backward and the finite codes, on inputs declared by `declareStepData`. */
export function lossAndGradients(g: Graph, spec: Omit<TrainGraphSpec, 'state'>, data: { featureValues: Map<string, string>; labels: LabelInput }, seed: string): LossAndGradients {
  const { summary, dtype } = spec;
  const fwd = buildForward(g, summary, { mode: 'train', dtype, param: (n) => n, features: data.featureValues, seed });
  const { loss, metrics } = lossAndMetrics(g, spec, fwd, data.labels);
  const trainable = trainableParams(spec.params);
  // The recurrent layers' inputs join the differentiated values: their gradient is computed on
  // the way to the weights anyway (or costs one input-projection product when the input is raw data).
  const recurrent = recurrentInputs(fwd);
  const wrt = [...new Set([...trainable.map((p) => p.name), ...recurrent.map((r) => r.value)])];
  const byParam = addBackward(g, loss, wrt);
  const grads = trainable.map((p) => byParam.get(p.name)!);
  const gradSq = pack(g, grads.map((gr) => sumSquares(g, gr)));
  const codes = nonFiniteCodes(g, fwd, trainable, gradSq, dtype);
  const timeNorms = recurrent.map((r) => {
    g.layer = r.layer;
    const value = g.op('ReduceL2', [byParam.get(r.value)!], { axes: attr.ints([0, 2]), keepdims: attr.int(0) });
    g.layer = undefined;
    return { layer: r.layer, value };
  });
  return { fwd, loss, metrics, trainable, grads, gradSq, codes, timeNorms };
}

export interface UpdateSpec {
  config: TrainingConfig;
  state: StateTensor[];
  dtype: FloatType;
  trainable: ParamTensor[];
  /** Raw gradients and ([P]) their squared norms, aligned with `trainable`. */
  grads: string[];
  gradSq: string;
  lr: string;
  /** int64 scalar, 1-based update number. */
  step: string;
}

export interface UpdateResult {
  /** New value of every trainable param and state tensor, already named `<input>.new`. */
  carries: Carry[];
  /** New param values (unnamed), aligned with `trainable`. */
  newParams: string[];
  gradNorm: string;
  weightNorm: string;
  updateRatio: string;
  globalGradNorm: string;
  gradMeanAbs: string;
}

/** Global-norm clipping (g * clip / max(norm, clip)), the optimizer update and the per-parameter statistics. */
export function optimizerUpdate(g: Graph, u: UpdateSpec): UpdateResult {
  const { config, state, dtype, trainable } = u;
  const gradSqVec = u.gradSq;
  const globalNorm = g.op('Sqrt', [g.op('ReduceSum', [gradSqVec], { keepdims: attr.int(0) })]);
  let scale: string | undefined;
  if (config.optimizer.clipNorm > 0) {
    const clip = scalarConst(g, dtype, config.optimizer.clipNorm);
    scale = g.op('Div', [clip, g.op('Max', [globalNorm, clip])]);
  }
  const opt = optimizers[config.optimizer.type].bind({ g, dtype, cfg: config.optimizer, lr: u.lr, step: g.op('Cast', [u.step], { to: attr.int(onnxType(dtype)) }) });
  const carries: Carry[] = [];
  const newParams: string[] = [];
  const weightSq: string[] = [];
  const deltaSq: string[] = [];
  trainable.forEach((p, i) => {
    g.layer = p.layer;
    const raw = u.grads[i];
    const grad = scale ? g.op('Mul', [raw, scale]) : raw;
    const slots = Object.fromEntries(state.filter((s) => s.param === p.name).map((s) => [s.slot, s.name]));
    const next = opt.update({ param: p.name, grad, state: slots, decay: decays(p) });
    newParams.push(next.param);
    weightSq.push(sumSquares(g, p.name));
    deltaSq.push(sumSquares(g, next.step));
    carries.push({ input: p.name, output: namedOutput(g, next.param, `${p.name}.new`) });
    for (const [slot, value] of Object.entries(next.state)) carries.push({ input: slots[slot], output: namedOutput(g, value, `${slots[slot]}.new`) });
    g.layer = undefined;
  });
  // Mean |gradient| per tensor (raw, like gradNorm): one ReduceL1 each, scaled by the static element count.
  const meanAbs = trainable.map((p, i) => {
    g.layer = p.layer;
    const count = p.shape.reduce((a, b) => a * b, 1);
    const v = g.op('Mul', [g.op('ReduceL1', [u.grads[i]], { keepdims: attr.int(0) }), scalarConst(g, dtype, 1 / Math.max(1, count))]);
    g.layer = undefined;
    return v;
  });
  const weightNormVec = g.op('Sqrt', [pack(g, weightSq)]);
  const ratio = safeRatio(g, g.op('Sqrt', [pack(g, deltaSq)]), weightNormVec, dtype);
  return {
    carries,
    newParams,
    gradNorm: namedOutput(g, g.op('Sqrt', [gradSqVec]), 'lw.grad_norm'),
    weightNorm: namedOutput(g, weightNormVec, 'lw.weight_norm'),
    updateRatio: namedOutput(g, ratio, 'lw.update_ratio'),
    globalGradNorm: namedOutput(g, globalNorm, 'lw.global_grad_norm'),
    gradMeanAbs: namedOutput(g, pack(g, meanAbs), 'lw.grad_mean_abs'),
  };
}

/** The per-step gradient norms of the recurrent layers, named as in every step graph. */
export function namedTimeNorms(g: Graph, lg: Pick<LossAndGradients, 'timeNorms'>): TimeGradNorm[] {
  return lg.timeNorms.map((t) => ({ layer: t.layer, output: namedOutput(g, t.value, `lw.time_grad_norm.${t.layer}`) }));
}

/** The loss and metric outputs, named as in every step graph. */
export function namedLossAndMetrics(g: Graph, lg: Pick<LossAndGradients, 'loss' | 'metrics'>): { loss: string; metrics: MetricOutput[] } {
  return {
    loss: namedOutput(g, lg.loss, 'lw.loss'),
    metrics: lg.metrics.map((m) => ({ metric: m.metric, output: namedOutput(g, m.value, `lw.metric.${m.metric}`) })),
  };
}

/** Running-statistic updates of the forward pass (BatchNorm), named `<input>.new`. */
export function namedUpdates(g: Graph, fwd: ForwardResult): Carry[] {
  return [...fwd.updates].map(([input, value]) => ({ input, output: namedOutput(g, value, `${input}.new`) }));
}

export function buildTrainGraph(spec: TrainGraphSpec): { graph: Graph; io: TrainStepIO } {
  const { params, state, dtype } = spec;
  const g = new Graph('train_step');
  // Inputs: data first, then every tensor the engine carries, then the per-step controls.
  const data = declareStepData(g, spec);
  for (const s of state) g.input(s.name, dtype, s.shape);
  const lr = g.input(CONTROL.lr, dtype, []);
  const step = g.input(CONTROL.step, 'int64', []);
  const seed = g.input(CONTROL.seed, 'int64', []);

  const lg = lossAndGradients(g, spec, data, seed);
  const upd = optimizerUpdate(g, { config: spec.config, state, dtype, trainable: lg.trainable, grads: lg.grads, gradSq: lg.gradSq, lr, step });
  const named = namedLossAndMetrics(g, lg);
  const io: TrainStepIO = {
    features: data.features,
    labels: data.labels,
    params: params.map((p) => p.name),
    state: state.map((s) => s.name),
    lr,
    step,
    seed,
    loss: named.loss,
    metrics: named.metrics,
    carries: [...upd.carries, ...namedUpdates(g, lg.fwd)],
    gradNorm: upd.gradNorm,
    weightNorm: upd.weightNorm,
    updateRatio: upd.updateRatio,
    statParams: lg.trainable.map((p) => p.name),
    globalGradNorm: upd.globalGradNorm,
    gradMeanAbs: upd.gradMeanAbs,
    nonFinite: namedOutput(g, lg.codes, 'lw.non_finite'),
    finiteLayers: lg.fwd.order.map((l) => l.spec.id),
    timeGradNorms: namedTimeNorms(g, lg),
  };
  return { graph: g, io };
}
