// The data registry: `loadDataset` checks a model's `data:` section against the source
// descriptions in sources.json (known keys, types, ranges, defaults), guards file paths, and
// dispatches to the source's loader. Bad input comes back as a message, never as an exception.
import { resolveInWorkspace } from '../paths';
import type { SectionSpec } from '../../model/types';
import { datasetFromArrays, type ArrayTask } from './arrays';
import { loadCsv } from './csv';
import { loadDigits } from './digits';
import { readNpy } from './npy';
import { readNpz } from './npz';
import { copyFirstTask, majorityTask, parityTask, sortedTask } from './sequences';
import { shapes } from './shapes';
import type { TextOptions } from './text';
import sourcesJson from './sources.json';
import { blobs, circles, moons, spirals, xor } from './synthetic';
import type { LoadContext, LoadResult } from './types';

export type { Dataset, LoadContext, LoadResult } from './types';
export { shapeSize } from './types';
export { Rng, type RngState } from './rng';
export { splitIndices, subset, type Split, type SplitFractions, type SplitResult } from './split';
export { BatchIterator, oneHot, type Batch, type BatchOptions, type LabelFormat } from './batches';
export { fitStandardizer, type Standardizer } from './standardize';
export { loadCsv, parseCsvDataset, type CsvOptions } from './csv';
export { readNpy, decodeNpy, encodeNpy, writeNpy, type NpyArray, type NpyWriteDtype } from './npy';
export { readNpz } from './npz';
export { findDataDir, findPackageRoot } from './dataDir';

/** `data:` as a plain mapping: `{source: spirals, samples: 500, noise: 0.2}`. */
export type DataSpec = { source: string; [key: string]: unknown };

export type ParamType = 'int' | 'float' | 'bool' | 'string' | 'enum' | 'string_list' | 'string_or_list';

export interface SourceParam {
  type: ParamType;
  doc: string;
  default?: unknown;
  required?: boolean;
  min?: number;
  max?: number;
  values?: string[];
  /** An option that only means something together with this other one (text options need `text`). */
  requires?: string;
}

export interface SourceInfo {
  kind: 'synthetic' | 'builtin' | 'sequence' | 'file';
  doc: string;
  params: Record<string, SourceParam>;
}

/** Every data source and its parameters (also read by hover, completion and validation). */
export const DATA_SOURCES = sourcesJson as unknown as Record<string, SourceInfo>;

type Params = Record<string, unknown>;

/** Generated token sets stay below this many tokens (8 bytes each as int64). */
const MAX_SEQUENCE_TOKENS = 50_000_000;

function isSectionSpec(spec: DataSpec | SectionSpec): spec is SectionSpec {
  const params = (spec as SectionSpec).params;
  return typeof params === 'object' && params !== null && 'range' in spec;
}

/** The section's keys as plain values; `source` may also be written as `type`. */
function plainSpec(spec: DataSpec | SectionSpec): Params {
  if (!isSectionSpec(spec)) return { ...spec };
  const out: Params = {};
  for (const [key, value] of Object.entries(spec.params)) out[key] = value.value;
  if (out.source === undefined && spec.type !== undefined) out.source = spec.type.value;
  return out;
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

/** Checks one parameter value; returns the (normalised) value or a message. */
function checkParam(source: string, key: string, meta: SourceParam, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const bad = (what: string): { ok: false; message: string } => ({ ok: false, message: `data.${key} (source ${source}): ${what}, got ${describeValue(value)}` });
  const range = (): string =>
    meta.min !== undefined && meta.max !== undefined ? ` between ${meta.min} and ${meta.max}` : meta.min !== undefined ? ` >= ${meta.min}` : meta.max !== undefined ? ` <= ${meta.max}` : '';
  switch (meta.type) {
    case 'int':
    case 'float': {
      const isInt = meta.type === 'int';
      if (typeof value !== 'number' || !Number.isFinite(value) || (isInt && !Number.isSafeInteger(value))) return bad(`must be ${isInt ? 'an integer' : 'a number'}${range()}`);
      if ((meta.min !== undefined && value < meta.min) || (meta.max !== undefined && value > meta.max)) return bad(`must be ${isInt ? 'an integer' : 'a number'}${range()}`);
      return { ok: true, value };
    }
    case 'bool':
      if (typeof value !== 'boolean') return bad('must be true or false');
      return { ok: true, value };
    case 'string':
      if (typeof value !== 'string' || value === '') return bad('must be a non-empty string');
      return { ok: true, value };
    case 'enum':
      if (typeof value !== 'string' || !(meta.values ?? []).includes(value)) return bad(`must be one of ${(meta.values ?? []).join(', ')}`);
      return { ok: true, value };
    case 'string_list':
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) return bad('must be a non-empty list of column names');
      return { ok: true, value };
    case 'string_or_list':
      if (typeof value === 'string' && value !== '') return { ok: true, value };
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) return { ok: true, value };
      return bad('must be a column name or a non-empty list of column names');
  }
}

/** Validates the keys of a data spec against sources.json and applies defaults. */
export function checkDataSpec(spec: DataSpec | SectionSpec, defaultSeed = 0): { ok: true; source: string; params: Params } | { ok: false; message: string } {
  const plain = plainSpec(spec);
  const source = plain.source;
  const known = Object.keys(DATA_SOURCES).join(', ');
  if (source === undefined) return { ok: false, message: `data: source is missing; use one of ${known}` };
  if (typeof source !== 'string' || !Object.prototype.hasOwnProperty.call(DATA_SOURCES, source)) {
    return { ok: false, message: `data.source: unknown source ${describeValue(source)}; use one of ${known}` };
  }
  const info = DATA_SOURCES[source];
  const params: Params = {};
  for (const [key, value] of Object.entries(plain)) {
    if (key === 'source') continue;
    const meta = info.params[key];
    if (meta === undefined) {
      const keys = Object.keys(info.params);
      return { ok: false, message: `data.${key}: source ${source} has no option "${key}"${keys.length ? ` (options: ${keys.join(', ')})` : ' (it takes no options)'}` };
    }
    const checked = checkParam(source, key, meta, value);
    if (!checked.ok) return checked;
    if (meta.requires !== undefined && plain[meta.requires] === undefined) {
      return { ok: false, message: `data.${key}: only applies together with data.${meta.requires}; add ${meta.requires}: or remove ${key}` };
    }
    params[key] = checked.value;
  }
  for (const [key, meta] of Object.entries(info.params)) {
    if (params[key] !== undefined) continue;
    if (meta.required) return { ok: false, message: `data.${key}: source ${source} needs "${key}" (${meta.doc})` };
    if (meta.default !== undefined) params[key] = meta.default;
  }
  if ('seed' in info.params && params.seed === undefined) params.seed = defaultSeed;
  if (info.kind === 'sequence' && (params.samples as number) * (params.length as number) > MAX_SEQUENCE_TOKENS) {
    return {
      ok: false,
      message: `data (source ${source}): samples x length = ${(params.samples as number) * (params.length as number)} tokens, more than the ${MAX_SEQUENCE_TOKENS} a generated set may hold; lower samples or length`,
    };
  }
  return { ok: true, source, params };
}

/** Resolves a path option through the workspace guard. */
function guarded(key: string, p: string, ctx: LoadContext): { ok: true; path: string } | { ok: false; message: string } {
  const r = resolveInWorkspace(ctx.workspaceRoot, p, ctx.baseDir);
  return r.ok ? r : { ok: false, message: `data.${key}: ${r.message}` };
}

type Loader = (p: Params, ctx: LoadContext) => LoadResult;

const num = (p: Params, key: string): number => p[key] as number;
const str = (p: Params, key: string): string => p[key] as string;
const synthetic = (p: Params) => ({ samples: num(p, 'samples'), noise: num(p, 'noise'), classes: p.classes as number | undefined, seed: num(p, 'seed') });
const sequence = (p: Params) => ({ samples: num(p, 'samples'), length: num(p, 'length'), vocab: (p.vocab as number | undefined) ?? 4, seed: num(p, 'seed') });

/** The csv source's text options (text, tokenizer, max_length ...) with their defaults applied. */
function textOptions(p: Params): TextOptions & { column: string } {
  return {
    column: str(p, 'text'),
    tokenizer: p.tokenizer as TextOptions['tokenizer'],
    maxLength: num(p, 'max_length'),
    vocabSize: p.vocab_size as number | undefined,
    minCount: num(p, 'min_count'),
    lowercase: p.lowercase as boolean,
    pad: p.pad as TextOptions['pad'],
    truncate: p.truncate as TextOptions['truncate'],
  };
}

const LOADERS: Record<string, Loader> = {
  spirals: (p) => ({ ok: true, dataset: spirals(synthetic(p)) }),
  moons: (p) => ({ ok: true, dataset: moons(synthetic(p)) }),
  circles: (p) => ({ ok: true, dataset: circles(synthetic(p)) }),
  xor: (p) => ({ ok: true, dataset: xor(synthetic(p)) }),
  blobs: (p) => ({ ok: true, dataset: blobs(synthetic(p)) }),
  digits: (_p, ctx) => loadDigits(ctx.dataDir),
  shapes: (p) => ({ ok: true, dataset: shapes({ samples: num(p, 'samples'), noise: num(p, 'noise'), seed: num(p, 'seed') }) }),
  sorted: (p) => ({ ok: true, dataset: sortedTask(sequence(p)) }),
  parity: (p) => ({ ok: true, dataset: parityTask(sequence(p)) }),
  majority: (p) => ({ ok: true, dataset: majorityTask(sequence(p)) }),
  copy_first: (p) => ({ ok: true, dataset: copyFirstTask(sequence(p)) }),
  csv: (p, ctx) => {
    const file = guarded('path', str(p, 'path'), ctx);
    if (!file.ok) return file;
    return loadCsv(file.path, {
      label: p.label as string | string[] | undefined,
      features: p.features as string[] | undefined,
      task: p.task as 'classification' | 'regression',
      delimiter: str(p, 'delimiter'),
      ...(p.text === undefined ? {} : { text: textOptions(p) }),
      ...(ctx.holdOut ? { split: { fractions: ctx.holdOut, seed: ctx.seed ?? 0 } } : {}),
    });
  },
  npy: (p, ctx) => {
    const xFile = guarded('path', str(p, 'path'), ctx);
    if (!xFile.ok) return xFile;
    const yFile = guarded('labels', str(p, 'labels'), ctx);
    if (!yFile.ok) return yFile;
    const x = readNpy(xFile.path);
    if (!x.ok) return x;
    const y = readNpy(yFile.path);
    if (!y.ok) return y;
    const name = str(p, 'path').replace(/^.*[\\/]/, '');
    return datasetFromArrays(name, x.array, y.array, p.task as ArrayTask, xFile.path, yFile.path);
  },
  npz: (p, ctx) => {
    const file = guarded('path', str(p, 'path'), ctx);
    if (!file.ok) return file;
    const xKey = str(p, 'x_key');
    const yKey = str(p, 'y_key');
    const arrays = readNpz(file.path, [xKey, yKey]);
    if (!arrays.ok) return arrays;
    const name = str(p, 'path').replace(/^.*[\\/]/, '');
    return datasetFromArrays(name, arrays.arrays[xKey], arrays.arrays[yKey], p.task as ArrayTask, `${file.path}: array "${xKey}"`, `${file.path}: array "${yKey}"`);
  },
};

/**
 * Loads the data set a model's `data:` section describes: a plain mapping
 * (`{source: 'spirals', noise: 0.2}`) or the parsed SectionSpec. Never throws.
 */
export function loadDataset(spec: DataSpec | SectionSpec, ctx: LoadContext): LoadResult {
  const checked = checkDataSpec(spec, ctx.seed ?? 0);
  if (!checked.ok) return checked;
  try {
    return LOADERS[checked.source](checked.params, ctx);
  } catch (err) {
    // Loaders report bad input as messages; reaching here means an internal failure (e.g. out of memory).
    return { ok: false, message: `data (source ${checked.source}): loading failed: ${(err as Error).message}` };
  }
}
