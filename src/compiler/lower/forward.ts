// Lowers every layer of an analysed model, in dependency order, into one graph.
import type { Graph } from '../../onnx/graph';
import type { LayerInfo, ModelSummary } from '../../analysis/types';
import { sameShape } from '../../onnx/ops/dims';
import type { FloatType, LayerResult, LowerContext, Mode } from './context';
import { loweringFor } from './registry';
import { layerError, modelError } from '../fail';
import { outputShape } from './attrs';

export interface ForwardOptions {
  mode: Mode;
  dtype: FloatType;
  /** Value name of a parameter by its full name `<layer>.<param>`. */
  param: (name: string) => string;
  /** Graph input of each Input layer, by layer id. */
  features: ReadonlyMap<string, string>;
  /** int64 scalar seed (train mode). */
  seed?: string;
}

export interface ForwardResult {
  /** Layers in the order they were lowered (a topological order, stable w.r.t. the file). */
  order: LayerInfo[];
  /** Lowered value of each layer, by id. */
  results: Map<string, LayerResult>;
  /** New values of non-trainable params (running statistics) by full name; train mode only. */
  updates: Map<string, string>;
}

/** Layers sorted so each comes after its inputs; file order among independent layers. */
export function topologicalOrder(summary: ModelSummary): LayerInfo[] {
  const byId = new Map(summary.layers.map((l) => [l.spec.id, l]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: LayerInfo[] = [];
  const visit = (l: LayerInfo): void => {
    if (done.has(l.spec.id)) return;
    if (visiting.has(l.spec.id)) throw layerError(l, 'is part of a cycle of inputs; a layer cannot depend on its own output');
    visiting.add(l.spec.id);
    for (const ref of l.spec.inputs) {
      const src = byId.get(ref.id);
      if (!src) throw layerError(l, `its input '${ref.id}' is not a layer of this model`);
      visit(src);
    }
    visiting.delete(l.spec.id);
    done.add(l.spec.id);
    order.push(l);
  };
  summary.layers.forEach(visit);
  return order;
}

export function buildForward(g: Graph, summary: ModelSummary, opts: ForwardOptions): ForwardResult {
  const results = new Map<string, LayerResult>();
  const updates = new Map<string, string>();
  const order = topologicalOrder(summary);
  if (order.length === 0) throw modelError('the model has no layers; add an Input layer and at least one more');
  order.forEach((layer, index) => {
    const lower = loweringFor(layer.kind);
    if (!lower) throw layerError(layer, `training is not supported for ${layer.kind} layers yet`);
    const id = layer.spec.id;
    if (layer.kind !== 'Input' && layer.spec.inputs.length === 0) throw layerError(layer, 'has no input; connect it to an Input layer or another layer');
    const ctx: LowerContext = {
      g,
      layer,
      mode: opts.mode,
      dtype: opts.dtype,
      inputs: layer.spec.inputs.map((r) => results.get(r.id)!.output),
      param: (name) => {
        if (!layer.params.some((p) => p.name === name)) throw layerError(layer, `internal: no parameter '${name}'`);
        return opts.param(`${id}.${name}`);
      },
      updateParam: (name, value) => updates.set(`${id}.${name}`, value),
      seed: opts.seed,
      index,
      feature: (layerId) => {
        const v = opts.features.get(layerId);
        if (!v) throw layerError(layer, 'internal: no graph input for this Input layer');
        return v;
      },
      scalar: (v) => g.constant(opts.dtype === 'float64' ? Float64Array.of(v) : Float32Array.of(v), [], 'c'),
    };
    g.layer = id;
    try {
      const r = lower(ctx);
      const expected = ['N', ...outputShape(layer)];
      const known = g.typeOf(r.output);
      if (!known) {
        g.setType(r.output, layer.output!.dtype === 'int64' ? 'int64' : opts.dtype, expected);
      } else if (!sameShape(known.shape, expected)) {
        throw layerError(layer, `internal: lowering gives shape [${known.shape}] but the analysis inferred [${expected}]`);
      }
      results.set(id, r);
    } finally {
      g.layer = undefined;
    }
  });
  return { order, results, updates };
}
