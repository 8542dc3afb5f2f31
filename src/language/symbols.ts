// The document outline: one symbol per top-level section, and under `layers` one per layer,
// labelled `id · Kind → [shape]`. Sections come from the text (so the outline survives broken
// YAML); layers from the analysis when there is one, else from the text.
import { groupDigits } from '../cli/format';
import type { AnalysisResult } from '../analysis/types';
import type { Range } from '../model/types';
import { flowAtCursor } from './flow';
import { scanLayers } from './layerScan';
import { formatShape } from './shapeText';
import { readLines, type YamlLine } from './yamlLines';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: 'section' | 'layer';
  /** The whole construct. */
  range: Range;
  /** The part to reveal and select (the key, the layer's id); inside `range`. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

function lineEnd(l: YamlLine): number {
  return l.start + l.text.length;
}

export function documentSymbols(text: string, analysis?: AnalysisResult | null): OutlineSymbol[] {
  const lines = readLines(text);
  const heads = lines.filter((l) => !l.skip && l.dashes.length === 0 && l.contentCol === 0 && l.key !== undefined);
  return heads.map((head, i) => {
    // A section runs to its last written line before the next top-level key.
    const nextLine = i + 1 < heads.length ? heads[i + 1].line : lines.length;
    let last = head;
    for (let n = head.line + 1; n < nextLine; n++) if (!lines[n].skip) last = lines[n];
    const range = { start: head.start, end: lineEnd(last) };
    const key = head.key!;
    const symbol: OutlineSymbol = {
      name: key,
      detail: head.value,
      kind: 'section',
      range,
      selectionRange: { start: head.start, end: head.start + head.keyEnd },
      children: [],
    };
    if (key === 'layers') {
      symbol.children = layerSymbols(text, lines, analysis)
        .filter((c) => c.range.start >= range.start && c.range.start < range.end)
        .map((c) => ({ ...c, range: within(c.range, range), selectionRange: within(c.selectionRange, within(c.range, range)) }));
      const total = analysis?.summary?.totalParams;
      symbol.detail = `${symbol.children.length} layers${total !== undefined && analysis?.summary?.layers.length ? ` · ${groupDigits(total)} parameters` : ''}`;
    } else if (key === 'loss' || key === 'optimizer' || key === 'schedule' || key === 'data') {
      // The section's type (or data source) says most: `adam`, `digits`.
      const typeKey = key === 'data' ? 'source' : 'type';
      if (head.value.startsWith('{')) {
        const flow = flowAtCursor(head.text, head.valueCol, head.valueCol + 1);
        symbol.detail = flow?.frames[0].entries.find((e) => e.key === typeKey)?.value ?? head.value;
      } else if (!head.value) {
        symbol.detail = lines.slice(head.line + 1, nextLine).find((l) => !l.skip && l.key === typeKey)?.value ?? '';
      }
    }
    return symbol;
  });
}

function layerSymbols(text: string, lines: YamlLine[], analysis: AnalysisResult | null | undefined): OutlineSymbol[] {
  const model = analysis?.model;
  if (model && model.layers.length > 0) {
    const shapes = new Map<string, string>();
    for (const info of analysis?.summary?.layers ?? []) shapes.set(info.spec.id, info.output ? formatShape(info.output) : '?');
    return model.layers.map((spec) => {
      const shape = shapes.get(spec.id);
      const kind = spec.kind || '?';
      return {
        name: `${spec.id} · ${kind}${shape !== undefined ? ` → ${shape}` : ''}`,
        detail: '',
        kind: 'layer' as const,
        range: trimEnd(text, spec.range),
        selectionRange: within(spec.idRange, spec.range),
        children: [],
      };
    });
  }
  return scanLayers(lines).map((l) => {
    const first = lines[l.line];
    const range = { start: first.start + first.contentCol, end: lineEnd(lines[l.endLine]) };
    return {
      name: `${l.id} · ${l.kind || '?'}`,
      detail: '',
      kind: 'layer' as const,
      range,
      selectionRange: { start: range.start, end: Math.min(range.end, first.start + first.text.length) },
      children: [],
    };
  });
}

/** The range without trailing whitespace and line breaks. */
function trimEnd(text: string, r: Range): Range {
  let end = r.end;
  while (end > r.start && /\s/.test(text[end - 1])) end--;
  return { start: r.start, end };
}

/** `inner` clipped into `outer` (a selection range must lie inside its symbol's range). */
function within(inner: Range, outer: Range): Range {
  const start = Math.min(Math.max(inner.start, outer.start), outer.end);
  return { start, end: Math.max(start, Math.min(inner.end, outer.end)) };
}
