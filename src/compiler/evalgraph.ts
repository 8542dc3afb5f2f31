// The eval graph: forward in eval mode (running statistics, no dropout), the model outputs, the
// loss and the metric counts.
import { Graph } from '../onnx/graph';
import type { EvalIO } from './types';
import type { TrainGraphSpec } from './trainstep';
import { buildLoss, labelInput } from './losses';
import { buildMetric } from './metrics';
import { buildForward } from './lower/forward';
import { outputShape } from './lower/attrs';
import { declareFeatures, featureInputs, namedOutput } from './io';

export function buildEvalGraph(spec: Omit<TrainGraphSpec, 'state'>): { graph: Graph; io: EvalIO } {
  const { summary, config, params, dtype } = spec;
  const g = new Graph('eval');
  const features = featureInputs(summary, dtype);
  const featureValues = declareFeatures(g, features);
  const outShape = outputShape(summary.layers.find((l) => l.spec.id === config.loss.output)!);
  const labels = labelInput(config.loss, outShape, spec.labelKind, dtype);
  g.input(labels.name, labels.dtype, ['N', ...labels.shape]);
  for (const p of params) g.input(p.name, dtype, p.shape);

  const fwd = buildForward(g, summary, { mode: 'eval', dtype, param: (n) => n, features: featureValues });
  const out = fwd.results.get(config.loss.output)!;
  const loss = buildLoss(g, config.loss, out, outShape, labels.name, spec.labelKind, dtype);
  const metricInputs = { g, loss: config.loss, out, outShape, labels: labels.name, labelKind: spec.labelKind, dtype };
  const metrics = config.metrics.map((m) => ({ metric: m, output: namedOutput(g, buildMetric(metricInputs, m), `lw.metric.${m}`) }));
  const io: EvalIO = {
    features,
    labels,
    params: params.map((p) => p.name),
    outputs: summary.outputs.map((id) => ({ layer: id, output: namedOutput(g, fwd.results.get(id)!.output, id) })),
    loss: namedOutput(g, loss, 'lw.loss'),
    metrics,
  };
  return { graph: g, io };
}
