// Runs one or more lowered layers on given inputs, for comparing with the JS references.
import '../../src/onnx/ops';
import { Graph } from '../../src/onnx/graph';
import { buildForward } from '../../src/compiler/lower/forward';
import type { Mode } from '../../src/compiler/lower/context';
import { fakeSummary, type FakeLayer } from './fake-summary';
import { runGraph, type Feed } from './run-graph';
import type { T } from './reference';

export interface LayerRun {
  /** Output of the last layer (batched). */
  y: T;
  /** New values of running statistics, by full param name. */
  updates: Record<string, number[]>;
}

/**
 * Lowers `layers` (Input layers first) and runs them. `features` by Input id and `params` by
 * full name (`<layer>.<param>`) are fed as graph inputs; `seed` feeds train-mode dropout.
 */
export async function runLayers(layers: FakeLayer[], mode: Mode, features: Record<string, T>, params: Record<string, T> = {}, seed = 0): Promise<LayerRun> {
  const summary = fakeSummary(layers);
  const g = new Graph('t');
  const feeds: Record<string, Feed> = {};
  const featureValues = new Map<string, string>();
  for (const l of layers.filter((x) => x.kind === 'Input')) {
    const dtype = l.dtype ?? 'float32';
    featureValues.set(l.id, g.input(l.id, dtype, ['N', ...l.out]));
    feeds[l.id] = { dtype, dims: features[l.id].shape, data: features[l.id].data };
  }
  for (const l of layers) {
    for (const p of l.params ?? []) {
      const name = `${l.id}.${p.name}`;
      g.input(name, 'float32', p.shape);
      feeds[name] = { dtype: 'float32', dims: p.shape, data: params[name].data };
    }
  }
  const seedValue = g.input('seed', 'int64', []);
  feeds.seed = { dtype: 'int64', dims: [], data: [seed] };
  const fwd = buildForward(g, summary, { mode, dtype: 'float32', param: (n) => n, features: featureValues, seed: mode === 'train' ? seedValue : undefined });
  const last = layers[layers.length - 1];
  const y = fwd.results.get(last.id)!.output;
  g.output(y);
  for (const v of fwd.updates.values()) g.output(v);
  const out = await runGraph(g, feeds);
  const updates: Record<string, number[]> = {};
  for (const [name, v] of fwd.updates) updates[name] = out[v].data;
  return { y: { shape: out[y].dims, data: out[y].data }, updates };
}
