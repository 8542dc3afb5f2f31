// A self-contained inference model: the eval-mode forward pass with the trained weights baked in
// as initializers, inputs named after the Input layers, outputs after the output layers. When
// the run standardised an input, that standardisation is the first step of the model, so the
// export takes the raw features the user has.
import { Graph } from '../onnx/graph';
import type { CompiledModel, ExportOptions, FeatureInput, InputStandardization } from './types';
import { buildForward } from './lower/forward';
import { declareFeatures, featureInputs, namedOutput, serializeNamed } from './io';
import { modelError } from './fail';

/** (x - mean) / std on the raw input `raw`, with mean and std as [...shape] initializers. */
function standardized(g: Graph, f: FeatureInput, raw: string, s: InputStandardization): string {
  if (f.dtype === 'int64') throw modelError(`cannot export: input '${f.layer}' holds token ids (int64), which are not standardised; remove it from the standardisation`);
  if (f.shape.some((d) => typeof d !== 'number')) throw modelError(`cannot export: input '${f.layer}' has no static shape to standardise`);
  const dims = f.shape as number[];
  const size = dims.reduce((a, b) => a * b, 1);
  for (const [what, v] of [['mean', s.mean], ['std', s.std]] as const) {
    if (v.length !== size) throw modelError(`cannot export: the standardisation ${what} of input '${f.layer}' has ${v.length} values but its shape [${dims}] needs ${size}`);
  }
  const badStd = s.std.findIndex((v) => !(Number.isFinite(v) && v !== 0));
  if (badStd >= 0) throw modelError(`cannot export: the standardisation std of input '${f.layer}' is ${s.std[badStd]} at feature ${badStd}; it must be finite and non-zero`);
  const mean = g.initializer(`${f.layer}.standardize.mean`, 'float32', dims, Float32Array.from(s.mean));
  const std = g.initializer(`${f.layer}.standardize.std`, 'float32', dims, Float32Array.from(s.std));
  return g.op('Div', [g.op('Sub', [raw, mean]), std]);
}

export function buildExportModel(compiled: CompiledModel, weights: ReadonlyMap<string, Float32Array>, options: ExportOptions = {}): Uint8Array {
  const { summary, name } = compiled.source;
  const g = new Graph(name);
  const features = featureInputs(summary, 'float32');
  const featureValues = declareFeatures(g, features);
  for (const input of Object.keys(options.standardize ?? {})) {
    const f = features.find((x) => x.layer === input);
    if (!f) throw modelError(`cannot export: standardisation given for '${input}', which is not an Input layer (inputs: ${features.map((x) => x.layer).join(', ')})`);
    featureValues.set(f.layer, standardized(g, f, featureValues.get(f.layer)!, options.standardize![input]));
  }
  for (const p of compiled.params) {
    const w = weights.get(p.name);
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (!w) throw modelError(`cannot export: no value for parameter '${p.name}' of layer '${p.layer}'`);
    if (w.length !== size) throw modelError(`cannot export: parameter '${p.name}' has ${w.length} values but its shape [${p.shape}] needs ${size}`);
    g.initializer(p.name, 'float32', p.shape, w);
  }
  const fwd = buildForward(g, summary, { mode: 'eval', dtype: 'float32', param: (n) => n, features: featureValues });
  for (const id of summary.outputs) namedOutput(g, fwd.results.get(id)!.output, id);
  return serializeNamed(g, { opset: 17, irVersion: 8, docString: `Exported by Layerwise from model '${name}'.`, metadata: { 'layerwise.model': name } });
}
