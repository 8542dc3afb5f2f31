// Typed access to the layer metadata in layers.json (the single source of truth for layer kinds,
// their parameters and docs) and to the settings metadata in sections.json (losses, optimizers,
// schedules, metrics, training options) and aliases.json (other spellings, for "did you mean").
import layersJson from './layers.json';
import sectionsJson from './sections.json';
import aliasesJson from './aliases.json';

export type ParamType =
  | 'int'
  | 'float'
  | 'bool'
  | 'string'
  | 'enum'
  | 'int_or_pair'
  | 'padding'
  | 'shape'
  | 'int_list'
  | 'mapping';

export interface ParamMeta {
  type: ParamType;
  doc: string;
  required?: boolean;
  default?: unknown;
  /** Inclusive unless `exclusiveMin` is set. For `shape`/`int_list`, the bound on each entry. */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** For `enum`. */
  values?: string[];
  /** For required parameters: a sensible value that quick fixes and snippets insert. */
  example?: unknown;
}

export type LayerCategory =
  | 'input'
  | 'core'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'regularization'
  | 'sequence'
  | 'attention'
  | 'merge'
  | 'activation'
  | 'reshape';

export interface LayerMeta {
  kind: string;
  category: LayerCategory;
  doc: string;
  /** Other names people use for this kind (Keras/PyTorch spellings), for "did you mean". */
  aliases?: string[];
  /** Exact input count, or `many` (two or more). */
  inputs: number | 'many';
  params: Record<string, ParamMeta>;
}

export interface SectionTypeMeta {
  doc: string;
  params: Record<string, ParamMeta>;
}

const layerTable: Record<string, LayerMeta> = {};
for (const [kind, raw] of Object.entries(layersJson as Record<string, Omit<LayerMeta, 'kind'>>)) {
  layerTable[kind] = { kind, ...raw };
}

/** Every layer kind, in the order of layers.json. */
export const layerKinds: readonly string[] = Object.keys(layerTable);

/** Metadata of a layer kind (exact, case-sensitive spelling), or undefined when unknown. */
export function getLayerMeta(kind: string): LayerMeta | undefined {
  return Object.prototype.hasOwnProperty.call(layerTable, kind) ? layerTable[kind] : undefined;
}

/** Names accepted by the `activation:` shorthand of Dense, Conv and TimeDistributedDense layers. */
export const activationNames: readonly string[] = layerTable.Dense.params.activation.values ?? [];

/** Layer kinds that are standalone activations (keep the shape, no parameters). */
export const activationKinds: readonly string[] = layerKinds.filter((k) => layerTable[k].category === 'activation');

interface SectionsJson {
  loss: { doc: string; types: Record<string, SectionTypeMeta> };
  metrics: { doc: string; values: Record<string, string> };
  optimizer: { doc: string; types: Record<string, SectionTypeMeta> };
  schedule: { doc: string; types: Record<string, SectionTypeMeta> };
  training: { doc: string; params: Record<string, ParamMeta> };
  early_stopping: { doc: string; params: Record<string, ParamMeta> };
}

/** Metadata of the model's settings sections: loss, metrics, optimizer, schedule, training. */
export const sectionMeta: SectionsJson = sectionsJson as SectionsJson;

export const lossNames: readonly string[] = Object.keys(sectionMeta.loss.types);
export const optimizerNames: readonly string[] = Object.keys(sectionMeta.optimizer.types);
export const scheduleNames: readonly string[] = Object.keys(sectionMeta.schedule.types);
export const metricNames: readonly string[] = Object.keys(sectionMeta.metrics.values);

/** Other spellings people use, mapped to ours: parameter names, loss/optimizer/... names. */
export const aliases: Readonly<Record<'params' | 'loss' | 'optimizer' | 'schedule' | 'metrics' | 'options', Record<string, string>>> =
  aliasesJson;

/** Every alias of a layer kind (from layers.json), mapped to the kind. */
export const kindAliases: Readonly<Record<string, string>> = Object.fromEntries(
  layerKinds.flatMap((k) => (layerTable[k].aliases ?? []).map((a) => [a, k] as const)),
);
