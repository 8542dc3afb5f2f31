// Generates the JSON Schema of *.nn.yaml files (schemas/nn-model.schema.json, draft-07, for the
// VS Code YAML extension: validation, hovers, completion) and the reference tables of
// docs/model-format.md from the metadata: src/analysis/layers.json (layer kinds and parameters),
// src/analysis/sections.json (losses, metrics, optimizers, schedules, training),
// src/engine/data/sources.json (data sources and their options) and src/model/top-level.json
// (top-level keys).
//
//   npx tsx scripts/gen-schema.ts           write both files
//   npx tsx scripts/gen-schema.ts --check   exit 1 when either is out of date
import * as fs from 'fs';
import * as path from 'path';
import type { ParamMeta } from '../src/analysis/layers';

export type { ParamMeta };

export interface LayerMeta {
  category: string;
  doc: string;
  inputs: number | 'many';
  params: Record<string, ParamMeta>;
}

interface TypedSection {
  doc: string;
  types: Record<string, { doc: string; params: Record<string, ParamMeta> }>;
}

export interface SectionsMeta {
  loss: TypedSection;
  metrics: { doc: string; values: Record<string, string> };
  optimizer: TypedSection;
  schedule: TypedSection;
  training: { doc: string; params: Record<string, ParamMeta> };
  early_stopping: { doc: string; params: Record<string, ParamMeta> };
}

export type TopLevelMeta = Record<string, { value: string; doc: string }>;

/** A data source option: a layer parameter's fields, plus list types for column names. */
export type DataParamMeta = Omit<ParamMeta, 'type'> & { type: ParamMeta['type'] | 'string_list' | 'string_or_list'; requires?: string };

export type DataSourcesMeta = Record<string, { kind: string; doc: string; params: Record<string, DataParamMeta> }>;

export interface Metadata {
  layers: Record<string, LayerMeta>;
  sections: SectionsMeta;
  topLevel: TopLevelMeta;
  dataSources: DataSourcesMeta;
}

type Schema = Record<string, unknown>;

const root = path.join(__dirname, '..');
export const schemaPath = path.join(root, 'schemas', 'nn-model.schema.json');
export const docsPath = path.join(root, 'docs', 'model-format.md');

export function loadMetadata(): Metadata {
  const read = (p: string): unknown => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
  return {
    layers: read('src/analysis/layers.json') as Record<string, LayerMeta>,
    sections: read('src/analysis/sections.json') as SectionsMeta,
    topLevel: read('src/model/top-level.json') as TopLevelMeta,
    dataSources: read('src/engine/data/sources.json') as DataSourcesMeta,
  };
}

// ---- schema -----------------------------------------------------------------------------------

/** The text shown on hover: the doc, plus the default and whether the key is required. */
function describe(p: ParamMeta): string {
  const parts = [p.doc];
  if (p.required) parts.push('Required.');
  if (p.default !== undefined) parts.push(`Default: ${JSON.stringify(p.default)}.`);
  return parts.join(' ');
}

function bounds(p: ParamMeta): Schema {
  const s: Schema = {};
  if (p.min !== undefined) s[p.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = p.min;
  if (p.max !== undefined) s[p.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = p.max;
  return s;
}

const pairOf = (item: Schema): Schema => ({ type: 'array', items: item, minItems: 2, maxItems: 2 });

/** The JSON Schema of one parameter value. */
export function paramSchema(p: ParamMeta): Schema {
  let value: Schema;
  switch (p.type) {
    case 'int':
      value = { type: 'integer', ...bounds(p) };
      break;
    case 'float':
      value = { type: 'number', ...bounds(p) };
      break;
    case 'bool':
      value = { type: 'boolean' };
      break;
    case 'string':
      value = { type: 'string' };
      break;
    case 'enum':
      value = { type: 'string', enum: p.values ?? [] };
      break;
    case 'int_or_pair': {
      const int = { type: 'integer', ...bounds(p) };
      value = { anyOf: [int, pairOf(int)] };
      break;
    }
    case 'padding': {
      const int = { type: 'integer', minimum: 0 };
      value = { anyOf: [{ type: 'string', enum: ['valid', 'same'] }, int, pairOf(int)] };
      break;
    }
    case 'shape':
      value = { type: 'array', items: { type: 'integer', ...bounds(p) }, minItems: 1 };
      break;
    case 'int_list':
      value = { type: 'array', items: { type: 'integer', ...bounds(p) } };
      break;
    case 'mapping':
      value = { type: 'object' };
      break;
    default:
      throw new Error(`unknown parameter type "${p.type}"; teach scripts/gen-schema.ts about it`);
  }
  const out: Schema = { description: describe(p), ...value };
  if (p.default !== undefined) out.default = p.default;
  return out;
}

function paramsSchema(params: Record<string, ParamMeta>): Record<string, Schema> {
  return Object.fromEntries(Object.entries(params).map(([k, p]) => [k, paramSchema(p)]));
}

const requiredOf = (params: Record<string, ParamMeta>): string[] =>
  Object.entries(params)
    .filter(([, p]) => p.required)
    .map(([k]) => k);

function inputsDoc(inputs: number | 'many'): string {
  if (inputs === 0) return 'Takes no input.';
  if (inputs === 'many') return 'Takes two or more inputs (list them in inputs:).';
  return inputs === 1 ? 'Takes one input.' : `Takes ${inputs} inputs.`;
}

/** `{type: X, ...}` mapping with `type:` choosing which options apply. */
function typedSectionSchema(name: string, section: TypedSection): Schema {
  const names = Object.keys(section.types);
  return {
    description: section.doc,
    anyOf: [
      { type: 'string', enum: names, enumDescriptions: names.map((n) => section.types[n].doc) },
      {
        type: 'object',
        properties: {
          type: {
            description: `The ${name} to use.`,
            type: 'string',
            enum: names,
            enumDescriptions: names.map((n) => section.types[n].doc),
          },
        },
        allOf: names.map((n) => ({
          if: { properties: { type: { const: n } }, required: ['type'] },
          then: {
            properties: { type: {}, ...paramsSchema(section.types[n].params) },
            additionalProperties: false,
          },
        })),
      },
    ],
  };
}

export function buildSchema(meta: Metadata): Schema {
  const kinds = Object.keys(meta.layers);
  const bareKinds = kinds.filter((k) => requiredOf(meta.layers[k].params).length === 0);
  const kindDocs = kinds.map((k) => `${meta.layers[k].doc} ${inputsDoc(meta.layers[k].inputs)}`);
  const top = meta.topLevel;
  const s = meta.sections;
  const idList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
  const layerDefs: Record<string, Schema> = {};
  for (const k of kinds) {
    const m = meta.layers[k];
    layerDefs[k] = {
      description: `${k}: ${m.doc} ${inputsDoc(m.inputs)}`,
      properties: {
        type: {},
        id: {},
        inputs: {},
        ...paramsSchema(m.params),
      },
      required: ['type', ...requiredOf(m.params)],
      additionalProperties: false,
    };
  }
  const metricNames = Object.keys(s.metrics.values);
  const metric = {
    type: 'string',
    enum: metricNames,
    enumDescriptions: metricNames.map((n) => s.metrics.values[n]),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Layerwise model (*.nn.yaml)',
    description: 'A neural network for Layerwise: its layers and how to train it. Generated by scripts/gen-schema.ts; do not edit.',
    type: 'object',
    required: ['layers'],
    additionalProperties: false,
    properties: {
      name: { description: top.name.doc, type: 'string' },
      description: { description: top.description.doc, type: 'string' },
      layers: { description: top.layers.doc, type: 'array', items: { $ref: '#/definitions/layer' } },
      outputs: { description: top.outputs.doc, ...idList },
      loss: { ...typedSectionSchema('loss', s.loss), description: top.loss.doc },
      metrics: { description: top.metrics.doc, anyOf: [metric, { type: 'array', items: metric }] },
      optimizer: { ...typedSectionSchema('optimizer', s.optimizer), description: top.optimizer.doc },
      schedule: { ...typedSectionSchema('schedule', s.schedule), description: top.schedule.doc },
      training: {
        description: top.training.doc,
        type: 'object',
        properties: {
          ...paramsSchema(s.training.params),
          early_stopping: {
            ...paramSchema(s.training.params.early_stopping ?? { type: 'mapping', doc: s.early_stopping.doc }),
            properties: paramsSchema(s.early_stopping.params),
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
      data: dataSectionSchema(top.data.doc, meta.dataSources),
    },
    definitions: {
      layer: {
        anyOf: [
          {
            description: 'A layer kind without parameters, shorthand for {type: Kind}.',
            type: 'string',
            enum: bareKinds,
            enumDescriptions: bareKinds.map((k) => meta.layers[k].doc),
          },
          { $ref: '#/definitions/layerMapping' },
        ],
      },
      layerMapping: {
        type: 'object',
        required: ['type'],
        properties: {
          type: { description: 'The layer kind.', type: 'string', enum: kinds, enumDescriptions: kindDocs },
          id: {
            description: 'Name other layers use in inputs:. Default: <kind lowercased>_<n>, n counting the layers of that kind from 1.',
            type: 'string',
          },
          inputs: { description: 'The layer(s) feeding this one; default: the previous layer.', ...idList },
        },
        allOf: kinds.map((k) => ({
          if: { properties: { type: { const: k } }, required: ['type'] },
          then: { $ref: `#/definitions/${k}` },
        })),
      },
      ...layerDefs,
    },
  };
}
/** The JSON Schema of one data source option. */
function dataParamSchema(p: DataParamMeta): Schema {
  if (p.type === 'string_list' || p.type === 'string_or_list') {
    const list = { type: 'array', items: { type: 'string' }, minItems: 1 };
    return { description: p.doc, ...(p.type === 'string_list' ? list : { anyOf: [{ type: 'string' }, list] }) };
  }
  return paramSchema({ ...p, type: p.type });
}

/** `data:`: `source:` (or its alias `type:`) chooses which options apply. */
function dataSectionSchema(doc: string, sources: DataSourcesMeta): Schema {
  const names = Object.keys(sources);
  const source = { description: 'Where the data comes from: a built-in data set or a file format.', type: 'string', enum: names, enumDescriptions: names.map((n) => sources[n].doc) };
  return {
    description: doc,
    type: 'object',
    properties: { source, type: { ...source, description: 'Another name for source:.' } },
    allOf: names.map((n) => {
      const params = sources[n].params;
      const required = Object.entries(params)
        .filter(([, p]) => p.required)
        .map(([k]) => k);
      return {
        if: { anyOf: [{ properties: { source: { const: n } }, required: ['source'] }, { properties: { type: { const: n } }, required: ['type'] }] },
        then: {
          properties: { source: {}, type: {}, ...Object.fromEntries(Object.entries(params).map(([k, p]) => [k, dataParamSchema(p)])) },
          ...(required.length ? { required } : {}),
          additionalProperties: false,
        },
      };
    }),
  };
}

// ---- docs tables ------------------------------------------------------------------------------

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeText(p: ParamMeta | DataParamMeta): string {
  switch (p.type) {
    case 'enum':
      return (p.values ?? []).map((v) => `\`${v}\``).join(' \\| ');
    case 'int_or_pair':
      return 'int or [int, int]';
    case 'padding':
      return '`valid` \\| `same` \\| int \\| [int, int]';
    case 'shape':
      return 'list of int';
    case 'int_list':
      return 'list of int';
    case 'string_list':
      return 'list of string';
    case 'string_or_list':
      return 'string or list of string';
    default:
      return p.type;
  }
}

function rangeText(p: ParamMeta | DataParamMeta): string {
  const lo = p.min === undefined ? '' : `${p.exclusiveMin ? '>' : '≥'} ${p.min}`;
  const hi = p.max === undefined ? '' : `${p.exclusiveMax ? '<' : '≤'} ${p.max}`;
  return [lo, hi].filter(Boolean).join(', ');
}

function paramTable(params: Record<string, ParamMeta | DataParamMeta>): string {
  const rows = Object.entries(params).map(([k, p]) => {
    const def = p.required ? '**required**' : p.default === undefined ? '' : `\`${defaultText(p.default)}\``;
    return `| \`${k}\` | ${typeText(p)} | ${rangeText(p)} | ${def} | ${cell(p.doc)} |`;
  });
  return ['| key | type | range | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const categoryTitles: Record<string, string> = {
  input: 'Inputs',
  core: 'Core layers',
  convolution: 'Convolutions',
  pooling: 'Pooling',
  normalization: 'Normalization',
  regularization: 'Regularization',
  sequence: 'Sequences',
  attention: 'Attention',
  merge: 'Merging branches',
  activation: 'Activations',
  reshape: 'Reshaping',
};

/** A default as written in YAML: strings bare, lists in flow style. */
function defaultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(defaultText).join(', ')}]`;
  return JSON.stringify(value);
}

export function renderTopLevelTable(meta: Metadata): string {
  const rows = Object.entries(meta.topLevel).map(([k, t]) => `| \`${k}\` | ${cell(t.doc)} |`);
  return ['| key | meaning |', '| --- | --- |', ...rows].join('\n');
}

export function renderLayerReference(meta: Metadata): string {
  const byCategory = new Map<string, string[]>();
  for (const [kind, m] of Object.entries(meta.layers)) {
    byCategory.set(m.category, [...(byCategory.get(m.category) ?? []), kind]);
  }
  const out: string[] = [];
  for (const [category, kinds] of byCategory) {
    out.push(`### ${categoryTitles[category] ?? category}`, '');
    for (const kind of kinds) {
      const m = meta.layers[kind];
      out.push(`#### ${kind}`, '', `${m.doc} ${inputsDoc(m.inputs)}`, '');
      out.push(Object.keys(m.params).length > 0 ? paramTable(m.params) : 'No parameters.', '');
    }
  }
  return out.join('\n').trimEnd();
}

function typedSectionReference(name: string, section: TypedSection): string {
  const out = [`### \`${name}:\``, '', section.doc, ''];
  for (const [t, m] of Object.entries(section.types)) {
    out.push(`#### \`${t}\``, '', m.doc, '');
    out.push(Object.keys(m.params).length > 0 ? paramTable(m.params) : 'No options.', '');
  }
  return out.join('\n');
}

export function renderSectionReference(meta: Metadata): string {
  const s = meta.sections;
  const metrics = Object.entries(s.metrics.values).map(([k, d]) => `| \`${k}\` | ${cell(d)} |`);
  return [
    typedSectionReference('loss', s.loss),
    '### `metrics:`',
    '',
    s.metrics.doc,
    '',
    ['| metric | meaning |', '| --- | --- |', ...metrics].join('\n'),
    '',
    typedSectionReference('optimizer', s.optimizer),
    typedSectionReference('schedule', s.schedule),
    '### `training:`',
    '',
    s.training.doc,
    '',
    paramTable(s.training.params),
    '',
    '#### `early_stopping:`',
    '',
    s.early_stopping.doc,
    '',
    paramTable(s.early_stopping.params),
  ]
    .join('\n')
    .trimEnd();
}

const sourceKindTitles: Record<string, string> = { synthetic: 'generated', builtin: 'bundled', sequence: 'generated token sequences', file: 'from a file' };

export function renderDataReference(meta: Metadata): string {
  const out = ['### `data:`', '', meta.topLevel.data.doc, ''];
  for (const [name, src] of Object.entries(meta.dataSources)) {
    out.push(`#### \`${name}\` (${sourceKindTitles[src.kind] ?? src.kind})`, '', src.doc, '');
    out.push(Object.keys(src.params).length > 0 ? paramTable(src.params) : 'No options.', '');
  }
  return out.join('\n').trimEnd();
}

/** The generated blocks of the docs, by marker name. */
export function docBlocks(meta: Metadata): Record<string, string> {
  return {
    'top-level-keys': renderTopLevelTable(meta),
    'layer-reference': renderLayerReference(meta),
    'section-reference': renderSectionReference(meta),
    'data-reference': renderDataReference(meta),
  };
}

/** The docs text with every `<!-- generated:NAME -->` ... `<!-- end:NAME -->` block refreshed. */
export function refreshDocs(text: string, blocks: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- end:${name} -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${docsPath} lacks the markers ${start} ... ${end}`);
    out = `${out.slice(0, i + start.length)}\n${body}\n${out.slice(j)}`;
  }
  return out;
}

export function schemaText(meta: Metadata): string {
  return `${JSON.stringify(buildSchema(meta), null, 2)}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const meta = loadMetadata();
  const schema = schemaText(meta);
  const docs = refreshDocs(fs.readFileSync(docsPath, 'utf8'), docBlocks(meta));
  const outdated: string[] = [];
  const existing = (p: string): string => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
  if (existing(schemaPath) !== schema) outdated.push(schemaPath);
  if (existing(docsPath) !== docs) outdated.push(docsPath);
  if (check) {
    if (outdated.length > 0) {
      console.error(`Out of date (run npx tsx scripts/gen-schema.ts): ${outdated.map((p) => path.relative(root, p)).join(', ')}`);
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(schemaPath), { recursive: true });
  fs.writeFileSync(schemaPath, schema);
  fs.writeFileSync(docsPath, docs);
  console.log(`Wrote ${path.relative(root, schemaPath)} and ${path.relative(root, docsPath)}.`);
}

if (require.main === module) main();
