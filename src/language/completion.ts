// Completion for *.nn.yaml files: layer kinds after `type:`, the parameters a layer (or a settings
// section) does not have yet, the values a parameter takes, the ids of earlier layers in
// `inputs:`, and the top-level sections. Works from the text around the cursor, so it keeps
// working while the document is broken YAML.
import { getLayerMeta, layerKinds, sectionMeta, type ParamMeta } from '../analysis/layers';
import type { AnalysisResult } from '../analysis/types';
import { freshId } from '../model/layer-ids';
import type { Range } from '../model/types';
import { cursorContext, layerItemLine, type CursorContext } from './cursorContext';
import { scanLayers, type ScannedLayer } from './layerScan';
import {
  keysOf,
  layerKindChoices,
  mappingPlace,
  metricChoices,
  monitorChoices,
  paramChoices,
  sectionTypeChoices,
  sourceChoices,
  topLevelKeys,
  type KeyDoc,
  type MappingPlace,
  type ValueChoice,
} from './modelKeys';
import { formatShape } from './shapeText';
import { readLines } from './yamlLines';

export type CompletionKind = 'layerKind' | 'key' | 'section' | 'value' | 'layerRef' | 'newLayer';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** Short text shown next to the label. */
  detail?: string;
  /** Markdown shown in the details pane. */
  documentation?: string;
  /** Text (or snippet, when `snippet`) that replaces `replace`. */
  insertText: string;
  snippet: boolean;
  replace: Range;
  /** Orders the list: lower sorts first. */
  sortText: string;
  /** Open the suggestions again after inserting (e.g. after `type: `). */
  retrigger?: boolean;
}

/** Escapes text for a snippet body. */
export function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function choiceSnippet(values: readonly string[], stop = 1): string {
  return `\${${stop}|${values.map((v) => v.replace(/[\\,|$}]/g, (c) => `\\${c}`)).join(',')}|}`;
}

/** YAML text of a value inside a snippet placeholder. */
function valueText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  return String(v);
}

/** The placeholder a parameter's snippet starts with: its choices, example or default. */
function paramPlaceholder(meta: ParamMeta | undefined, stop: number): string {
  if (!meta) return `$${stop}`;
  switch (meta.type) {
    case 'enum':
      return choiceSnippet(meta.values ?? [], stop);
    case 'bool':
      // Writing the default changes nothing, so offer the other value first.
      return choiceSnippet(meta.default === true ? ['false', 'true'] : ['true', 'false'], stop);
    case 'padding':
      return choiceSnippet(['same', 'valid'], stop);
    default: {
      const v = meta.example ?? meta.default;
      if (Array.isArray(v)) return `[\${${stop}:${snippetText(v.map(valueText).join(', '))}}]`;
      if (meta.type === 'shape' || meta.type === 'int_list') return `[$${stop}]`;
      return v === undefined || (typeof v === 'object' && v !== null) ? `$${stop}` : `\${${stop}:${snippetText(String(v))}}`;
    }
  }
}

function describeParam(meta: ParamMeta | undefined): string | undefined {
  if (!meta) return undefined;
  if (meta.required) return `${meta.type}, required`;
  return meta.default !== undefined ? `${meta.type}, default ${valueText(meta.default)}` : meta.type;
}

/** Everything the completion needs to know besides the cursor context. */
interface Env {
  text: string;
  ctx: CursorContext;
  layers: ScannedLayer[];
  analysis: AnalysisResult | null | undefined;
}

export function completionsAt(text: string, offset: number, analysis?: AnalysisResult | null): CompletionEntry[] {
  const ctx = cursorContext(text, offset);
  if (ctx.at === 'none') return [];
  const env: Env = { text, ctx, layers: scanLayers(readLines(text)), analysis };
  const path = ctx.path;
  const inLayersSeq = path.length === 1 && path[0].type === 'key' && path[0].key === 'layers';
  switch (ctx.at) {
    case 'key':
      if (inLayersSeq) return newLayerEntries(env, true);
      return keyEntries(env, mappingPlace(path, ctx.siblings));
    case 'value':
      return valueEntries(env, mappingPlace(path, ctx.siblings), ctx.key ?? '');
    case 'item': {
      if (inLayersSeq && !ctx.flow) return newLayerEntries(env, false);
      const last = path[path.length - 1];
      if (last?.type !== 'key') return [];
      if (path.length === 3 && last.key === 'inputs' && layerItemLine(path) !== undefined) {
        return layerRefEntries(env, earlierLayers(env), new Set(ctx.items));
      }
      if (path.length === 1 && last.key === 'outputs') return layerRefEntries(env, env.layers, new Set(ctx.items));
      if (path.length === 1 && last.key === 'metrics') {
        return choiceEntries(env, metricChoices().filter((c) => !ctx.items.includes(c.value)), 'value');
      }
      return [];
    }
  }
}

// --- keys -------------------------------------------------------------------------------

function keyEntries(env: Env, place: MappingPlace): CompletionEntry[] {
  const { ctx } = env;
  const written = ctx.siblings;
  const keys = keysOf(place).filter((k) => !written.has(k.name));
  return keys.map((k, i) => keyEntry(env, place, k, i));
}

function keyEntry(env: Env, place: MappingPlace, k: KeyDoc, index: number): CompletionEntry {
  const { ctx } = env;
  // When the line already has `: value` after the word, only the name is replaced.
  const nameOnly = ctx.restOfLine.startsWith(':');
  const base = {
    label: k.name,
    kind: (place.place === 'top' ? 'section' : 'key') as CompletionKind,
    documentation: k.doc,
    replace: ctx.replace,
    detail: describeParam(k.meta),
  };
  const order = k.meta?.required ? 0 : k.meta ? 2 : 1;
  const sortText = `${order}${String(index).padStart(3, '0')}`;
  if (nameOnly) return { ...base, insertText: k.name, snippet: false, sortText };
  const body = keySnippet(env, place, k);
  return { ...base, insertText: body.text, snippet: true, sortText, retrigger: body.retrigger };
}

/** What follows the key name: `: ${1:64}`, a nested mapping, or `: ` and a new suggestion list. */
function keySnippet(env: Env, place: MappingPlace, k: KeyDoc): { text: string; retrigger?: boolean } {
  const { ctx } = env;
  const name = k.name;
  const childIndent = ' '.repeat(ctx.indentCol + 2);
  if (place.place === 'top') {
    const value = topLevelKeys[name]?.value;
    switch (value) {
      case 'layers':
        return { text: `layers:\n  - type: \${1:Input}\n    shape: [\${2:2}]\n$0` };
      case 'id_list':
        return { text: `${name}: [$1]`, retrigger: true };
      case 'name_list':
        return { text: `${name}: [${choiceSnippet(metricChoices().map((c) => c.value))}]` };
      case 'section_or_name': {
        const section = name as 'loss' | 'optimizer' | 'schedule';
        return { text: `${name}:\n  type: ${choiceSnippet(Object.keys(sectionMeta[section].types))}\n$0` };
      }
      case 'section':
        return name === 'data'
          ? { text: `data:\n  source: ${choiceSnippet(sourceChoices().map((c) => c.value))}\n$0` }
          : { text: `${name}:\n  $0` };
      default:
        return { text: `${name}: $1` };
    }
  }
  if (place.place === 'layer') {
    if (name === 'type') return { text: 'type: ', retrigger: true };
    if (name === 'inputs') return { text: 'inputs: [$1]', retrigger: true };
    if (name === 'id') {
      const taken = new Set(env.layers.map((l) => l.id));
      return { text: `id: \${1:${snippetText(freshId(place.kind ?? 'layer', taken))}}` };
    }
  }
  if (name === 'type' || name === 'source') return { text: `${name}: `, retrigger: true };
  if (k.meta?.type === 'mapping') {
    if (ctx.flow) return { text: `${name}: {$1}` };
    if (name === 'early_stopping') {
      const p = sectionMeta.early_stopping.params;
      return {
        text: `${name}:\n${childIndent}monitor: \${1:${snippetText(String(p.monitor.default))}}\n${childIndent}patience: \${2:${p.patience.default}}`,
      };
    }
    return { text: `${name}:\n${childIndent}$0` };
  }
  return { text: `${name}: ${paramPlaceholder(k.meta, 1)}` };
}

// --- values -----------------------------------------------------------------------------

function valueEntries(env: Env, place: MappingPlace, key: string): CompletionEntry[] {
  const choices = valueChoices(place, key);
  if (choices === 'layers') return layerRefEntries(env, earlierLayers(env), new Set());
  if (choices === 'allLayers') return layerRefEntries(env, env.layers, new Set());
  return choiceEntries(env, choices, place.place === 'layer' && key === 'type' ? 'layerKind' : 'value');
}

function valueChoices(place: MappingPlace, key: string): ValueChoice[] | 'layers' | 'allLayers' {
  switch (place.place) {
    case 'top': {
      const value = topLevelKeys[key]?.value;
      if (value === 'section_or_name') return sectionTypeChoices(key as 'loss' | 'optimizer' | 'schedule');
      return [];
    }
    case 'layer': {
      if (key === 'type') return layerKindChoices();
      if (key === 'inputs') return 'layers';
      const meta = place.kind ? getLayerMeta(place.kind)?.params[key] : undefined;
      return meta ? paramChoices(meta) : [];
    }
    case 'section': {
      if (key === 'type') return sectionTypeChoices(place.section);
      if (place.section === 'loss' && key === 'output') return 'allLayers';
      return paramChoicesOf(place, key);
    }
    case 'data':
      if (key === 'source') return sourceChoices();
      return paramChoicesOf(place, key);
    case 'early_stopping':
      if (key === 'monitor') return monitorChoices();
      return paramChoicesOf(place, key);
    case 'training':
      return paramChoicesOf(place, key);
    case 'unknown':
      return [];
  }
}

function paramChoicesOf(place: MappingPlace, key: string): ValueChoice[] {
  const meta = keysOf(place).find((k) => k.name === key)?.meta;
  return meta ? paramChoices(meta) : [];
}

function choiceEntries(env: Env, choices: ValueChoice[], kind: CompletionKind): CompletionEntry[] {
  const { ctx } = env;
  const lead = ctx.needsSpace ? ' ' : '';
  return choices.map((c, i) => {
    const meta = c.role === 'kind' ? getLayerMeta(c.value) : undefined;
    return {
      label: c.value,
      kind,
      detail: meta ? meta.category : c.role === 'default' ? 'default' : undefined,
      documentation: c.doc,
      insertText: lead + c.value,
      snippet: false,
      replace: ctx.replace,
      sortText: String(i).padStart(3, '0'),
    };
  });
}

// --- layer references -------------------------------------------------------------------

/** Layers written before the one the cursor is in (all of them when outside a layer). */
function earlierLayers(env: Env): ScannedLayer[] {
  const line = layerItemLine(env.ctx.path);
  return line === undefined ? env.layers : env.layers.filter((l) => l.line < line);
}

function layerRefEntries(env: Env, layers: ScannedLayer[], exclude: ReadonlySet<string>): CompletionEntry[] {
  const { ctx } = env;
  const lead = ctx.needsSpace ? ' ' : '';
  const shapes = new Map<string, string>();
  for (const info of env.analysis?.summary?.layers ?? []) if (info.output) shapes.set(info.spec.id, formatShape(info.output));
  const candidates = layers.filter((l) => !exclude.has(l.id));
  // The nearest layer first: it is the one most often wanted.
  return candidates.reverse().map((l, i) => ({
    label: l.id,
    kind: 'layerRef' as const,
    detail: `${l.kind || 'layer'}${shapes.has(l.id) ? ` → ${shapes.get(l.id)}` : ''}`,
    documentation: l.kind ? getLayerMeta(l.kind)?.doc : undefined,
    insertText: lead + l.id,
    snippet: false,
    replace: ctx.replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

// --- new layers -------------------------------------------------------------------------

/**
 * A whole new layer item per kind: `type: Conv2D` plus its required parameters as tab stops.
 * `withDash` when the cursor is at the item column without the `- ` marker yet.
 */
function newLayerEntries(env: Env, withDash: boolean): CompletionEntry[] {
  const { ctx } = env;
  const contentCol = withDash ? ctx.indentCol + 2 : ctx.indentCol;
  const indent = ' '.repeat(contentCol);
  return layerKinds.map((kind, i) => {
    const meta = getLayerMeta(kind)!;
    const required = Object.entries(meta.params).filter(([, p]) => p.required);
    const lines = [`${withDash ? '- ' : ''}type: ${kind}`];
    required.forEach(([name, p], j) => lines.push(`${indent}${name}: ${paramPlaceholder(p, j + 1)}`));
    return {
      label: kind,
      kind: 'newLayer' as const,
      detail: `${meta.category} layer${required.length ? ` (${required.map(([n]) => n).join(', ')})` : ''}`,
      documentation: meta.doc,
      insertText: `${lines.join('\n')}$0`,
      snippet: true,
      replace: ctx.replace,
      sortText: String(i).padStart(3, '0'),
    };
  });
}

/**
 * Whether typing the character just before `offset` should open the suggestions: `:` after a key,
 * or a space right after `key:`, `- `, `,`, `[` or `{`. (Other spaces, such as indentation or
 * words in a description, should not pop up a list.)
 */
export function wantsCompletionAfter(text: string, offset: number): boolean {
  const typed = text[offset - 1];
  if (typed === ':') return true;
  if (typed !== ' ') return false;
  return /[:\-,[{]/.test(text[offset - 2] ?? '');
}
