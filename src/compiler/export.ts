// A self-contained inference model: the eval-mode forward pass with the trained weights baked in
// as initializers, inputs named after the Input layers, outputs after the output layers.
import { Graph, serializeModel } from '../onnx/graph';
import type { CompiledModel } from './types';
import { buildForward } from './lower/forward';
import { declareFeatures, featureInputs, namedOutput } from './io';
import { modelError } from './fail';

export function buildExportModel(compiled: CompiledModel, weights: ReadonlyMap<string, Float32Array>): Uint8Array {
  const { summary, name } = compiled.source;
  const g = new Graph(name);
  const featureValues = declareFeatures(g, featureInputs(summary, 'float32'));
  for (const p of compiled.params) {
    const w = weights.get(p.name);
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (!w) throw modelError(`cannot export: no value for parameter '${p.name}' of layer '${p.layer}'`);
    if (w.length !== size) throw modelError(`cannot export: parameter '${p.name}' has ${w.length} values but its shape [${p.shape}] needs ${size}`);
    g.initializer(p.name, 'float32', p.shape, w);
  }
  const fwd = buildForward(g, summary, { mode: 'eval', dtype: 'float32', param: (n) => n, features: featureValues });
  for (const id of summary.outputs) namedOutput(g, fwd.results.get(id)!.output, id);
  return serializeModel(g, { opset: 17, irVersion: 8, docString: `Exported by Layerwise from model '${name}'.`, metadata: { 'layerwise.model': name } });
}
