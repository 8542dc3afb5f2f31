// Hover text for *.nn.yaml files: on a layer (its `- ` marker, `type:` or `id:`) the kind's doc,
// the input and output shapes, parameter count and FLOPs; on a parameter its doc, what it takes
// and its default; on section keys, types, data sources and metrics their docs.
import { yamlText } from '../analysis/fixes';
import { getLayerMeta, sectionMeta, type ParamMeta } from '../analysis/layers';
import { describeExpected } from '../analysis/params';
import type { AnalysisResult, LayerInfo } from '../analysis/types';
import { formatFlops, groupDigits } from '../cli/format';
import type { LayerSpec, Range } from '../model/types';
import { cursorContext, layerItemLine, type CursorContext } from './cursorContext';
import { scanLayers } from './layerScan';
import { dataSources, keyDoc, layerStructuralKeys, mappingPlace, topLevelKeys, type MappingPlace } from './modelKeys';
import { formatShape } from './shapeText';
import { readLines } from './yamlLines';

export interface HoverResult {
  markdown: string;
  /** The word the hover is about. */
  range: Range;
}

export interface HoverOptions {
  /** Show parameter counts and FLOPs in layer hovers (default true). */
  showCosts?: boolean;
}

const wordChar = /[A-Za-z0-9_.$+-]/;

function wordAt(text: string, offset: number): Range {
  let s = offset;
  while (s > 0 && wordChar.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && wordChar.test(text[e])) e++;
  return { start: s, end: e };
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function hoverAt(text: string, offset: number, analysis?: AnalysisResult | null, options: HoverOptions = {}): HoverResult | null {
  const o = Math.max(0, Math.min(offset, text.length));
  let range = wordAt(text, o);
  // On the `- ` marker of an item: describe the item, as its first word would.
  if (text[o] === '-' && range.end === o + 1 && range.start === o && /[ \t]/.test(text[o + 1] ?? '')) {
    let p = o + 1;
    while (text[p] === ' ' || text[p] === '\t') p++;
    range = wordAt(text, p);
    if (range.start === range.end) return null;
    const md = layerHoverAt(text, range.start, analysis, options, cursorContext(text, range.end));
    return md ? { markdown: md, range: { start: o, end: o + 1 } } : null;
  }
  if (range.start === range.end) return null;
  const word = text.slice(range.start, range.end);
  const ctx = cursorContext(text, range.end);
  const md = describe(text, o, word, ctx, analysis, options);
  return md ? { markdown: md, range } : null;
}

function describe(
  text: string,
  offset: number,
  word: string,
  ctx: CursorContext,
  analysis: AnalysisResult | null | undefined,
  options: HoverOptions,
): string | undefined {
  const path = ctx.path;
  switch (ctx.at) {
    case 'key': {
      const place = mappingPlace(path, ctx.siblings);
      if (place.place === 'top') return topLevelHover(word);
      if (place.place === 'layer') {
        if (word === 'type' || word === 'id') return layerHoverAt(text, offset, analysis, options, ctx);
        if (word === 'inputs') return `${code('inputs')} · layer key\n\n${layerStructuralKeys.inputs}`;
        return layerParamHover(offset, word, place.kind, analysis);
      }
      return settingHover(place, word);
    }
    case 'value': {
      const key = ctx.key ?? '';
      const place = mappingPlace(path, ctx.siblings);
      if (place.place === 'top') {
        if (key === 'loss' || key === 'optimizer' || key === 'schedule') return sectionTypeHover(key, word);
        return topLevelHover(key);
      }
      if (place.place === 'layer') {
        if (key === 'type' || key === 'id') return layerHoverAt(text, offset, analysis, options, ctx);
        if (key === 'inputs') return layerRefHover(text, word, analysis);
        return layerParamHover(offset, key, place.kind, analysis);
      }
      if (place.place === 'section' && key === 'type') return sectionTypeHover(place.section, word);
      if (place.place === 'section' && key === 'output') return layerRefHover(text, word, analysis);
      if (place.place === 'data' && key === 'source') return dataSourceHover(word);
      return settingHover(place, key);
    }
    case 'item': {
      const last = path[path.length - 1];
      if (last?.type !== 'key') return undefined;
      if (path.length === 1 && last.key === 'layers') return layerHoverAt(text, offset, analysis, options, ctx);
      if (path.length === 1 && last.key === 'outputs') return layerRefHover(text, word, analysis);
      if (path.length === 1 && last.key === 'metrics') return metricHover(word);
      if (path.length === 3 && layerItemLine(path) !== undefined) {
        if (last.key === 'inputs') return layerRefHover(text, word, analysis);
        return layerParamHover(offset, last.key ?? '', scannedKind(text, layerItemLine(path)), analysis);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The kind written for the layer item starting at `itemLine`, read from the text. */
function scannedKind(text: string, itemLine: number | undefined): string | undefined {
  const kind = scanLayers(readLines(text)).find((l) => l.line === itemLine)?.kind;
  return kind ? kind : undefined;
}

// --- layers -----------------------------------------------------------------------------

/** The analysed layer at `offset` (by source range), or the layer spec when shapes are unknown. */
function layerAt(offset: number, analysis: AnalysisResult | null | undefined): { spec?: LayerSpec; info?: LayerInfo } {
  const info = analysis?.summary?.layers.find((l) => l.spec.range.start <= offset && offset < Math.max(l.spec.range.end, l.spec.range.start + 1));
  if (info) return { spec: info.spec, info };
  const spec = analysis?.model?.layers.find((l) => l.range.start <= offset && offset < Math.max(l.range.end, l.range.start + 1));
  return { spec };
}

function layerHoverAt(
  text: string,
  offset: number,
  analysis: AnalysisResult | null | undefined,
  options: HoverOptions,
  ctx: CursorContext,
): string | undefined {
  const { spec, info } = layerAt(offset, analysis);
  if (spec) return layerMarkdown(spec.id, spec.kind, info, analysis, options);
  // Not analysed (e.g. broken YAML): what the text says about the layer.
  const itemLine = layerItemLine(ctx.path) ?? (ctx.at === 'item' ? lineOf(text, offset) : undefined);
  const scanned = scanLayers(readLines(text)).find((l) => l.line === itemLine);
  if (!scanned || !scanned.kind) return undefined;
  return layerMarkdown(scanned.id, scanned.kind, undefined, analysis, options);
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function layerMarkdown(
  id: string,
  kind: string,
  info: LayerInfo | undefined,
  analysis: AnalysisResult | null | undefined,
  options: HoverOptions,
): string {
  const meta = getLayerMeta(info?.kind ?? kind);
  const parts: string[] = [];
  parts.push(`**${id}** · ${code(info?.kind ?? kind)}${meta ? ` *(${meta.category})*` : ''}`);
  parts.push(meta ? meta.doc : `Unknown layer kind ${code(kind)}.`);
  if (info) {
    const ins = info.inputs.map((t) => code(formatShape(t))).join(' + ');
    const out = info.output ? code(formatShape(info.output)) : '?';
    parts.push(`**Shape** ${ins ? `${ins} → ` : '→ '}${out}`);
    // Parameter-free, compute-free layers (Input, Flatten, Dropout) have no costs worth a line.
    if (options.showCosts !== false && (info.paramCount > 0 || info.flops > 0)) {
      const tensors = info.params.map((p) => `${p.name} ${code(`[${p.shape.join(', ')}]`)}`).join(', ');
      parts.push(
        `**Parameters** ${groupDigits(info.paramCount)}${tensors ? ` — ${tensors}` : ''}  \n**Compute** ${formatFlops(info.flops)} per sample (forward)`,
      );
    }
  }
  const problems = (analysis?.diagnostics ?? []).filter((d) => d.layer === id && d.severity === 'error');
  if (problems.length > 0) parts.push(`⚠ ${problems[0].message}`);
  return parts.join('\n\n');
}

/** A short hover for an id used in `inputs:`, `outputs:` or `loss.output`. */
function layerRefHover(text: string, id: string, analysis: AnalysisResult | null | undefined): string | undefined {
  const info = analysis?.summary?.layers.find((l) => l.spec.id === id);
  if (info) {
    return `**${id}** · ${code(info.kind)}${info.output ? ` → ${code(formatShape(info.output))}` : ''}\n\n${getLayerMeta(info.kind)?.doc ?? ''}`.trim();
  }
  const scanned = scanLayers(readLines(text)).find((l) => l.id === id);
  if (!scanned) return `No layer has the id ${code(id)}.`;
  return `**${id}** · ${code(scanned.kind || '?')}\n\n${getLayerMeta(scanned.kind)?.doc ?? ''}`.trim();
}

function paramMarkdown(name: string, owner: string, meta: ParamMeta, used?: unknown): string {
  const facts: string[] = [`Takes ${describeExpected(meta)}`];
  if (meta.required) facts.push('required');
  else if (meta.default !== undefined) facts.push(`default ${code(yamlText(meta.default))}`);
  const parts = [`**${name}** · ${owner}`, meta.doc, `${facts.join(' · ')}.`];
  if (used !== undefined) parts.push(`Value used: ${code(yamlText(used))}`);
  return parts.join('\n\n');
}

function layerParamHover(offset: number, key: string, kind: string | undefined, analysis: AnalysisResult | null | undefined): string | undefined {
  const { info } = layerAt(offset, analysis);
  const k = info?.kind ?? kind;
  const meta = k ? getLayerMeta(k)?.params[key] : undefined;
  if (!meta) {
    if (!k) return undefined;
    return `${code(key)} is not a parameter of ${code(k)}.`;
  }
  return paramMarkdown(key, `${code(k!)} parameter`, meta, info?.attrs[key]);
}

// --- settings ---------------------------------------------------------------------------

function topLevelHover(key: string): string | undefined {
  const k = topLevelKeys[key];
  return k ? `**${key}** · top-level section\n\n${k.doc}` : undefined;
}

function sectionTypeHover(section: 'loss' | 'optimizer' | 'schedule', name: string): string | undefined {
  const t = sectionMeta[section].types[name];
  if (!t) return undefined;
  const options = Object.keys(t.params);
  return `**${name}** · ${section}\n\n${t.doc}${options.length ? `\n\nOptions: ${options.map(code).join(', ')}` : ''}`;
}

function dataSourceHover(name: string): string | undefined {
  const s = dataSources[name];
  if (!s) return undefined;
  const options = Object.keys(s.params);
  return `**${name}** · data source (${s.kind})\n\n${s.doc}${options.length ? `\n\nOptions: ${options.map(code).join(', ')}` : ''}`;
}

function metricHover(name: string): string | undefined {
  const doc = sectionMeta.metrics.values[name];
  return doc ? `**${name}** · metric\n\n${doc}` : undefined;
}

function settingHover(place: MappingPlace, key: string): string | undefined {
  const k = keyDoc(place, key);
  if (!k) return undefined;
  const owner =
    place.place === 'section'
      ? `${place.section}${place.type ? ` ${code(place.type)}` : ''} option`
      : place.place === 'data'
        ? `data${place.source ? ` ${code(place.source)}` : ''} option`
        : place.place === 'early_stopping'
          ? 'early_stopping option'
          : `${place.place} option`;
  if (!k.meta) return `**${key}** · ${owner}\n\n${k.doc}`;
  return paramMarkdown(key, owner, k.meta);
}
