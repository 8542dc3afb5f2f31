// Graph inputs shared by the train, eval and export graphs: one per Input layer, named after it.
import type { Graph } from '../onnx/graph';
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

/** Names `value` as the graph output `name` (or `name_2` ... when taken) via Identity, and declares it. */
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
    g.output(out);
    return out;
  }
}
