// The eval graph: forward in eval mode (running statistics, no dropout), the model outputs, the
// loss and the metric counts.
import { Graph } from '../onnx/graph';
import type { EvalIO } from './types';
import type { TrainGraphSpec } from './trainstep';
import { declareStepData, lossAndMetrics, namedLossAndMetrics } from './trainstep';
import { buildForward } from './lower/forward';
import { namedOutput } from './io';

export function buildEvalGraph(spec: Omit<TrainGraphSpec, 'state'>): { graph: Graph; io: EvalIO } {
  const { summary, params, dtype } = spec;
  const g = new Graph('eval');
  const data = declareStepData(g, spec);
  const fwd = buildForward(g, summary, { mode: 'eval', dtype, param: (n) => n, features: data.featureValues });
  const lm = lossAndMetrics(g, spec, fwd, data.labels);
  const outputs = summary.outputs.map((id) => ({ layer: id, output: namedOutput(g, fwd.results.get(id)!.output, id) }));
  const named = namedLossAndMetrics(g, lm);
  const io: EvalIO = { features: data.features, labels: data.labels, params: params.map((p) => p.name), outputs, loss: named.loss, metrics: named.metrics };
  return { graph: g, io };
}
