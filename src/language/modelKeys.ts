// Which keys a mapping of the model file takes and what values each key accepts, by the mapping's
// place in the document. All of it comes from the metadata files (layers.json, sections.json,
// top-level.json, the data sources); hover and completion read it through here.
import { getLayerMeta, layerKinds, metricNames, sectionMeta, type ParamMeta } from '../analysis/layers';
import sourcesJson from '../engine/data/sources.json';
import topLevelJson from '../model/top-level.json';
import type { PathStep } from './cursorContext';
import layerKeysJson from './layer-keys.json';

export type TopLevelValue = 'string' | 'layers' | 'id_list' | 'name_list' | 'section_or_name' | 'section';

export const topLevelKeys = topLevelJson as Record<string, { value: TopLevelValue; doc: string }>;

interface SourceMeta {
  kind: string;
  doc: string;
  params: Record<string, ParamMeta>;
}
/** The data sources (`data: {source: ...}`) and their options. */
export const dataSources = sourcesJson as unknown as Record<string, SourceMeta>;

/** Keys every layer mapping may have besides its parameters. */
export const layerStructuralKeys = layerKeysJson as Record<'type' | 'id' | 'inputs', string>;

export type TypedSection = 'loss' | 'optimizer' | 'schedule';

/** The kind of mapping a path leads to. */
export type MappingPlace =
  | { place: 'top' }
  | { place: 'layer'; kind?: string }
  | { place: 'section'; section: TypedSection; type?: string }
  | { place: 'training' }
  | { place: 'early_stopping' }
  | { place: 'data'; source?: string }
  | { place: 'unknown' };

/** A key as described to the user: what it is for and what it takes. */
export interface KeyDoc {
  name: string;
  doc: string;
  /** The parameter metadata, when the key is a parameter. */
  meta?: ParamMeta;
}

function typeOf(siblings: ReadonlyMap<string, string>, key: string): string | undefined {
  const v = siblings.get(key)?.replace(/^(["'])(.*)\1$/, '$2').trim();
  return v ? v : undefined;
}

const isTyped = (k: string | undefined): k is TypedSection => k === 'loss' || k === 'optimizer' || k === 'schedule';

/** What mapping `path` is, given the keys written in it (for its `type:`/`source:`). */
export function mappingPlace(path: readonly PathStep[], siblings: ReadonlyMap<string, string>): MappingPlace {
  if (path.length === 0) return { place: 'top' };
  const [first, second] = path;
  if (first.type !== 'key') return { place: 'unknown' };
  if (first.key === 'layers' && path.length === 2 && second.type === 'item') return { place: 'layer', kind: typeOf(siblings, 'type') };
  if (path.length === 1) {
    if (isTyped(first.key)) return { place: 'section', section: first.key, type: typeOf(siblings, 'type') };
    if (first.key === 'training') return { place: 'training' };
    if (first.key === 'data') return { place: 'data', source: typeOf(siblings, 'source') };
  }
  if (path.length === 2 && first.key === 'training' && second.type === 'key' && second.key === 'early_stopping') {
    return { place: 'early_stopping' };
  }
  return { place: 'unknown' };
}

/** Union of the parameters of several types, first description wins. */
function unionParams(tables: Record<string, ParamMeta>[]): Record<string, ParamMeta> {
  const out: Record<string, ParamMeta> = {};
  for (const t of tables) for (const [k, v] of Object.entries(t)) if (!(k in out)) out[k] = v;
  return out;
}

/** The keys a mapping takes (its parameters plus structural keys such as `type`). */
export function keysOf(m: MappingPlace): KeyDoc[] {
  const params = (table: Record<string, ParamMeta>) => Object.entries(table).map(([name, meta]) => ({ name, doc: meta.doc, meta }));
  switch (m.place) {
    case 'top':
      return Object.entries(topLevelKeys).map(([name, k]) => ({ name, doc: k.doc }));
    case 'layer': {
      const structural = Object.entries(layerStructuralKeys).map(([name, doc]) => ({ name, doc }));
      const meta = m.kind ? getLayerMeta(m.kind) : undefined;
      return [...structural, ...(meta ? params(meta.params) : [])];
    }
    case 'section': {
      const types = sectionMeta[m.section].types;
      const chosen = m.type !== undefined && m.type in types ? [types[m.type].params] : Object.values(types).map((t) => t.params);
      return [{ name: 'type', doc: sectionMeta[m.section].doc }, ...params(unionParams(chosen))];
    }
    case 'training':
      return params(sectionMeta.training.params);
    case 'early_stopping':
      return params(sectionMeta.early_stopping.params);
    case 'data': {
      const chosen =
        m.source !== undefined && m.source in dataSources ? [dataSources[m.source].params] : Object.values(dataSources).map((s) => s.params);
      return [{ name: 'source', doc: 'Where the data comes from: a built-in or synthetic data set, or a file (csv, npy, npz).' }, ...params(unionParams(chosen))];
    }
    case 'unknown':
      return [];
  }
}

export function keyDoc(m: MappingPlace, key: string): KeyDoc | undefined {
  return keysOf(m).find((k) => k.name === key);
}

/** A value the user can pick, with what it means. */
export interface ValueChoice {
  value: string;
  doc?: string;
  /** Kind of value, for the completion icon. */
  role: 'kind' | 'enum' | 'bool' | 'type' | 'default';
}

const boolChoices: ValueChoice[] = [
  { value: 'true', role: 'bool' },
  { value: 'false', role: 'bool' },
];

/** Values of a parameter, from its metadata: enum values, booleans, padding words, the default. */
export function paramChoices(meta: ParamMeta): ValueChoice[] {
  switch (meta.type) {
    case 'enum':
      return (meta.values ?? []).map((value) => ({ value, role: 'enum' as const, doc: value === meta.default ? 'default' : undefined }));
    case 'bool':
      return boolChoices;
    case 'padding':
      return [
        { value: 'valid', role: 'enum', doc: 'No padding: the output shrinks by the window size minus one.' },
        { value: 'same', role: 'enum', doc: 'Pad so that the output size is the input size divided by the stride (rounded up).' },
      ];
    default:
      return meta.default !== undefined && typeof meta.default !== 'object'
        ? [{ value: String(meta.default), role: 'default', doc: 'default' }]
        : [];
  }
}

export function layerKindChoices(): ValueChoice[] {
  return layerKinds.map((k) => ({ value: k, role: 'kind', doc: getLayerMeta(k)?.doc }));
}

export function sectionTypeChoices(section: TypedSection): ValueChoice[] {
  return Object.entries(sectionMeta[section].types).map(([value, t]) => ({ value, role: 'type', doc: t.doc }));
}

export function metricChoices(): ValueChoice[] {
  return metricNames.map((value) => ({ value, role: 'enum', doc: sectionMeta.metrics.values[value] }));
}

export function sourceChoices(): ValueChoice[] {
  return Object.entries(dataSources).map(([value, s]) => ({ value, role: 'type', doc: s.doc }));
}

/** What `early_stopping.monitor` can watch: the losses and the validation value of each metric. */
export function monitorChoices(): ValueChoice[] {
  return [
    { value: 'val_loss', role: 'enum', doc: 'Loss on the validation split.' },
    { value: 'loss', role: 'enum', doc: 'Loss on the training data.' },
    ...metricNames.map((m) => ({ value: `val_${m}`, role: 'enum' as const, doc: `${sectionMeta.metrics.values[m]} (validation split)` })),
  ];
}
