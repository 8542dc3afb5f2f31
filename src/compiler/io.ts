// Graph inputs shared by the train, eval and export graphs: one per Input layer, named after it.
import { serializeModel, type Graph, type Node, type SerializeOptions } from '../onnx/graph';
import type { ModelSummary } from '../analysis/types';
import type { FeatureInput } from './types';
import type { FloatType } from './lower/context';
import { layerError } from './fail';

/** Names of the inputs that are not data (layer ids are identifiers, so the dot keeps them apart). */
export const CONTROL = { labels: 'lw.labels', lr: 'lw.lr', step: 'lw.step', seed: 'lw.seed' } as const;

export function featureInputs(summary: ModelSummary, dtype: FloatType): FeatureInput[] {
  return summary.layers
    .filter((l) => l.kind === 'Input')
    .map((l) => {
      if (!l.output) throw layerError(l, 'its shape could not be inferred; fix the errors reported for it first');
      return { name: l.spec.id, layer: l.spec.id, dtype: l.output.dtype === 'int64' ? 'int64' : dtype, shape: l.output.shape };
    });
}

/** Declares the feature inputs on `g`; returns the Input layer id -> value map the forward pass takes. */
export function declareFeatures(g: Graph, features: FeatureInput[]): Map<string, string> {
  return new Map(features.map((f) => [f.layer, g.input(f.name, f.dtype, ['N', ...f.shape])]));
}

/** The naming Identity nodes `namedOutput` added, per graph, for `serializeNamed` to fold away. */
const namingNodes = new WeakMap<Graph, Set<Node>>();

/**
 * Names `value` as the graph output `name` (or `name_2` ... when taken) and declares it. The name
 * is given by an Identity node here; `serializeNamed` then renames the producing node's output
 * instead where it can, so the served graph does not copy every output once more per run.
 */
export function namedOutput(g: Graph, value: string, name: string): string {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${name}_${i}`;
    let out: string;
    try {
      // addNode claims the name before adding anything, so a clash leaves the graph untouched.
      [out] = g.addNode('Identity', [value], {}, [candidate]);
    } catch (e) {
      if (e instanceof Error && e.message.includes('already used')) continue;
      throw e;
    }
    let marked = namingNodes.get(g);
    if (!marked) namingNodes.set(g, (marked = new Set()));
    marked.add(g.nodes[g.nodes.length - 1]);
    g.output(out);
    return out;
  }
}

/** Every node of `g` and of the subgraphs (Loop/Scan/If bodies) nested in it. */
function allNodes(g: Graph, into: Node[] = []): Node[] {
  for (const n of g.nodes) {
    into.push(n);
    for (const a of Object.values(n.attrs)) if (a.t === 'graph') allNodes(a.v, into);
  }
  return into;
}

/** Output names of nested subgraphs (a body may hand an outer value straight out). */
function subgraphOutputs(g: Graph, into = new Set<string>()): Set<string> {
  for (const n of g.nodes) {
    for (const a of Object.values(n.attrs)) {
      if (a.t !== 'graph') continue;
      for (const o of a.v.outputs) into.add(o.name);
      subgraphOutputs(a.v, into);
    }
  }
  return into;
}

/**
 * Folds the naming Identity nodes of `namedOutput` into their producers: the producing node's
 * output takes the output's name and its consumers read it under that name. Kept where the
 * value is a graph input or initializer, is already a graph output, or leaves a subgraph.
 */
export function foldNamingIdentities(g: Graph): void {
  const marked = namingNodes.get(g);
  if (!marked || marked.size === 0) return;
  const producer = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const consumers = new Map<string, Node[]>();
  for (const n of allNodes(g)) {
    for (const i of n.inputs) {
      if (!i) continue;
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
  }
  const outputs = new Set(g.outputs.map((o) => o.name));
  const blocked = subgraphOutputs(g);
  const removed = new Set<Node>();
  for (const id of marked) {
    const [value] = id.inputs;
    const [name] = id.outputs;
    const p = producer.get(value);
    if (!p || outputs.has(value) || blocked.has(value)) continue;
    p.outputs = p.outputs.map((o) => (o === value ? name : o));
    producer.delete(value);
    producer.set(name, p);
    for (const c of consumers.get(value) ?? []) {
      if (c !== id) c.inputs = c.inputs.map((i) => (i === value ? name : i));
    }
    consumers.set(name, [...(consumers.get(name) ?? []), ...(consumers.get(value) ?? []).filter((c) => c !== id)]);
    consumers.delete(value);
    removed.add(id);
  }
  const kept = g.nodes.filter((n) => !removed.has(n));
  g.nodes.splice(0, g.nodes.length, ...kept);
  namingNodes.delete(g);
}

/** `serializeModel` after `foldNamingIdentities`: what every compiler graph goes through. */
export function serializeNamed(g: Graph, opts: SerializeOptions = {}): Uint8Array {
  foldNamingIdentities(g);
  return serializeModel(g, opts);
}
