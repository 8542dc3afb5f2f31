// The train-step graph: forward (train mode) -> loss and metrics -> gradients (our autodiff) ->
// global-norm clipping -> optimizer update, plus per-tensor statistics and a per-layer finite
// check. One run of it is one optimizer step; the engine feeds the carries back.
import { attr, Graph } from '../onnx/graph';
import type { ModelSummary } from '../analysis/types';
import type { ParamTensor, StateTensor, TrainingConfig, TrainStepIO } from './types';
import type { FloatType } from './lower/context';
import type { LabelKind } from './losses';
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

export function buildTrainGraph(spec: TrainGraphSpec): { graph: Graph; io: TrainStepIO } {
  const { summary, config, params, state, dtype } = spec;
  const g = new Graph('train_step');
  const c = (v: number) => scalarConst(g, dtype, v);

  // Inputs: data first, then every tensor the engine carries, then the per-step controls.
  const features = featureInputs(summary, dtype);
  const featureValues = declareFeatures(g, features);
  const outLayer = summary.layers.find((l) => l.spec.id === config.loss.output)!;
  const outShape = outputShape(outLayer);
  const labels = labelInput(config.loss, outShape, spec.labelKind, dtype);
  g.input(labels.name, labels.dtype, ['N', ...labels.shape]);
  for (const p of params) g.input(p.name, dtype, p.shape);
  for (const s of state) g.input(s.name, dtype, s.shape);
  const lr = g.input(CONTROL.lr, dtype, []);
  const step = g.input(CONTROL.step, 'int64', []);
  const seed = g.input(CONTROL.seed, 'int64', []);

  const fwd = buildForward(g, summary, { mode: 'train', dtype, param: (n) => n, features: featureValues, seed });
  const out = fwd.results.get(config.loss.output)!;
  const loss = buildLoss(g, config.loss, out, outShape, labels.name, spec.labelKind, dtype);
  const metricInputs = { g, loss: config.loss, out, outShape, labels: labels.name, labelKind: spec.labelKind, dtype };
  const metricValues = config.metrics.map((m) => ({ metric: m, value: buildMetric(metricInputs, m) }));

  const trainable = params.filter((p) => p.trainable);
  if (trainable.length === 0) throw modelError('the model has no trainable parameters; add a Dense or Conv layer');
  const grads = addBackward(g, loss, trainable.map((p) => p.name));

  // Raw gradient norms, then clipping by the global norm: g * clip / max(norm, clip).
  const gradSq = trainable.map((p) => sumSquares(g, grads.get(p.name)!));
  const gradSqVec = pack(g, gradSq);
  const globalNorm = g.op('Sqrt', [g.op('ReduceSum', [gradSqVec], { keepdims: attr.int(0) })]);
  let scale: string | undefined;
  if (config.optimizer.clipNorm > 0) {
    const clip = c(config.optimizer.clipNorm);
    scale = g.op('Div', [clip, g.op('Max', [globalNorm, clip])]);
  }

  const opt = optimizers[config.optimizer.type].bind({
    g,
    dtype,
    cfg: config.optimizer,
    lr,
    step: g.op('Cast', [step], { to: attr.int(onnxType(dtype)) }),
  });
  const carries: TrainStepIO['carries'] = [];
  const weightSq: string[] = [];
  const deltaSq: string[] = [];
  trainable.forEach((p) => {
    g.layer = p.layer;
    const raw = grads.get(p.name)!;
    const grad = scale ? g.op('Mul', [raw, scale]) : raw;
    const slots = Object.fromEntries(state.filter((s) => s.param === p.name).map((s) => [s.slot, s.name]));
    const next = opt.update({ param: p.name, grad, state: slots, decay: decays(p) });
    weightSq.push(sumSquares(g, p.name));
    deltaSq.push(sumSquares(g, g.op('Sub', [next.param, p.name])));
    carries.push({ input: p.name, output: namedOutput(g, next.param, `${p.name}.new`) });
    for (const [slot, value] of Object.entries(next.state)) {
      const name = slots[slot];
      carries.push({ input: name, output: namedOutput(g, value, `${name}.new`) });
    }
    g.layer = undefined;
  });
  for (const [name, value] of fwd.updates) carries.push({ input: name, output: namedOutput(g, value, `${name}.new`) });

  const codes = nonFiniteCodes(g, fwd, trainable, gradSq, dtype);

  const gradNormVec = g.op('Sqrt', [gradSqVec]);
  const weightNormVec = g.op('Sqrt', [pack(g, weightSq)]);
  const ratio = safeRatio(g, g.op('Sqrt', [pack(g, deltaSq)]), weightNormVec, dtype);
  const io: TrainStepIO = {
    features,
    labels,
    params: params.map((p) => p.name),
    state: state.map((s) => s.name),
    lr,
    step,
    seed,
    loss: namedOutput(g, loss, 'lw.loss'),
    metrics: metricValues.map((m) => ({ metric: m.metric, output: namedOutput(g, m.value, `lw.metric.${m.metric}`) })),
    carries,
    gradNorm: namedOutput(g, gradNormVec, 'lw.grad_norm'),
    weightNorm: namedOutput(g, weightNormVec, 'lw.weight_norm'),
    updateRatio: namedOutput(g, ratio, 'lw.update_ratio'),
    statParams: trainable.map((p) => p.name),
    globalGradNorm: namedOutput(g, globalNorm, 'lw.global_grad_norm'),
    nonFinite: namedOutput(g, codes, 'lw.non_finite'),
    finiteLayers: fwd.order.map((l) => l.spec.id),
  };
  return { graph: g, io };
}
