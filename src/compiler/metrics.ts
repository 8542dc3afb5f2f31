// Metric counts: each metric is the sum over the batch of a per-sample value (a per-sample value
// is itself the mean over the sample's positions), so the engine can add batches up and divide
// by the number of samples. Metrics are not differentiated.
import { attr } from '../onnx/graph';
import type { Graph } from '../onnx/graph';
import type { LayerResult, FloatType } from './lower/context';
import type { LossConfig } from './types';
import type { LabelKind } from './losses';
import { lossLogits } from './losses';
import { onnxType } from './lower/dtype';
import { modelError } from './fail';

export interface MetricInputs {
  g: Graph;
  loss: LossConfig;
  out: LayerResult;
  outShape: number[];
  labels: string;
  labelKind: LabelKind;
  dtype: FloatType;
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** Sum over everything divided by the positions per sample: the batch sum of per-sample means. */
function batchSum(m: MetricInputs, perElement: string, positionsPerSample: number): string {
  const { g } = m;
  const asFloat = g.op('Cast', [perElement], { to: attr.int(onnxType(m.dtype)) });
  const total = g.op('ReduceSum', [asFloat], { keepdims: attr.int(0) });
  if (positionsPerSample === 1) return total;
  const scale = g.constant(m.dtype === 'float64' ? Float64Array.of(1 / positionsPerSample) : Float32Array.of(1 / positionsPerSample), [], 'c');
  return g.op('Mul', [total, scale]);
}

/** ArgMax and TopK have no double kernels in onnxruntime: compare in float32. */
function f32(m: MetricInputs, v: string): string {
  return m.dtype === 'float32' ? v : m.g.op('Cast', [v], { to: attr.int(onnxType('float32')) });
}

/** Class indices from the labels: as given, or the arg-max of dense targets. */
function labelClasses(m: MetricInputs): string {
  if (m.labelKind === 'indices' && m.loss.type === 'cross_entropy') return m.labels;
  return m.g.op('ArgMax', [f32(m, m.labels)], { axis: attr.int(-1), keepdims: attr.int(0) });
}

function accuracy(m: MetricInputs): string {
  const { g } = m;
  const z = lossLogits(m.loss, m.out);
  const classes = m.outShape[m.outShape.length - 1] ?? 1;
  if (m.loss.type === 'cross_entropy' || classes > 1) {
    const predicted = g.op('ArgMax', [f32(m, z)], { axis: attr.int(-1), keepdims: attr.int(0) });
    return batchSum(m, g.op('Equal', [predicted, labelClasses(m)]), product(m.outShape.slice(0, -1)));
  }
  // One unit: logit > 0 for binary cross-entropy, output > 0.5 for regression-style losses.
  const threshold = m.loss.type === 'binary_cross_entropy' ? 0 : 0.5;
  const predicted = g.op('Greater', [f32(m, z), g.floats([threshold])]);
  const actual = g.op('Greater', [f32(m, m.labels), g.floats([0.5])]);
  return batchSum(m, g.op('Equal', [predicted, actual]), product(m.outShape));
}

function topKAccuracy(m: MetricInputs, k: number): string {
  const { g } = m;
  if (m.loss.type !== 'cross_entropy') throw modelError(`top${k}_accuracy needs a cross_entropy loss (class scores), but the loss is ${m.loss.type}`);
  const classes = m.outShape[m.outShape.length - 1];
  const kk = Math.min(k, classes);
  const [values, indices] = g.addNode('TopK', [f32(m, lossLogits(m.loss, m.out)), g.ints([kk])], { axis: attr.int(-1) }, 2);
  // The op table may not type TopK; its outputs are [N, ..., k].
  const topShape = ['N', ...m.outShape.slice(0, -1), kk];
  if (!g.typeOf(indices)) {
    g.setType(values, 'float32', topShape);
    g.setType(indices, 'int64', topShape);
  }
  const hit = g.op('Equal', [indices, g.op('Unsqueeze', [labelClasses(m), g.ints([-1])])]);
  const anyHit = g.op('ReduceMax', [g.op('Cast', [hit], { to: attr.int(onnxType(m.dtype)) })], { axes: attr.ints([-1]), keepdims: attr.int(0) });
  return batchSum(m, anyHit, product(m.outShape.slice(0, -1)));
}

function regressionError(m: MetricInputs, name: 'mae' | 'mse'): string {
  const { g } = m;
  if (m.loss.type === 'cross_entropy' && m.labelKind === 'indices') {
    throw modelError(`${name} compares the output with targets of the same shape, but cross_entropy labels are class indices; use accuracy instead`);
  }
  // For classification losses the comparison is between probabilities and targets.
  const z = lossLogits(m.loss, m.out);
  const p =
    m.loss.type === 'cross_entropy' ? g.op('Softmax', [z], { axis: attr.int(-1) })
    : m.loss.type === 'binary_cross_entropy' ? g.op('Sigmoid', [z])
    : m.out.output;
  const d = g.op('Sub', [p, m.labels]);
  const e = name === 'mae' ? g.op('Abs', [d]) : g.op('Mul', [d, d]);
  return batchSum(m, e, product(m.outShape));
}

/** Adds the named metric; returns its scalar output value. */
export function buildMetric(m: MetricInputs, metric: string): string {
  switch (metric) {
    case 'accuracy':
      return accuracy(m);
    case 'top5_accuracy':
      return topKAccuracy(m, 5);
    case 'mae':
    case 'mse':
      return regressionError(m, metric);
    default:
      throw modelError(`unknown metric '${metric}'; use accuracy, top5_accuracy, mae or mse`);
  }
}
