// Text edits behind the quick fixes: insert a layer parameter, remove a `key: value` entry,
// replace a value. They work on the document text so the edit keeps the file's own style
// (block or flow mappings, indentation).
import type { LayerSpec, Range, SourceValue, TextEdit } from '../model/types';

/** A plain value as it would be written in the model file. */
export function yamlText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(yamlText).join(', ')}]`;
  if (typeof value === 'string') return /^[A-Za-z_][\w.-]*$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}

export function replace(range: Range, newText: string): TextEdit {
  return { range: { start: range.start, end: range.end }, newText };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding `offset` (past its newline, if any). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Removes one `key: value` entry of a mapping, with its line in block style or its comma in flow style. */
export function removeEntry(text: string, entry: SourceValue): TextEdit {
  const start = entry.keyRange?.start ?? entry.range.start;
  const end = Math.max(entry.range.end, entry.keyRange?.end ?? 0);
  if (text.length < end) return replace({ start, end }, '');
  let back = start - 1;
  while (back >= 0 && /\s/.test(text[back])) back--;
  if (text[back] === ',') return replace({ start: back, end }, '');
  if (text[back] === '{') {
    let fwd = end;
    while (fwd < text.length && /[ \t]/.test(text[fwd])) fwd++;
    if (text[fwd] === ',') {
      fwd++;
      while (fwd < text.length && /[ \t]/.test(text[fwd])) fwd++;
      return replace({ start, end: fwd }, '');
    }
    return replace({ start, end }, '');
  }
  const ls = lineStart(text, start);
  const before = text.slice(ls, start);
  // Whatever follows the value on its line must be a comment for the whole line to go.
  const endLineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const rest = text.slice(end, endLineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return replace({ start, end }, '');
  if (/^\s*$/.test(before)) return replace({ start: ls, end: nextLineStart(text, end > ls && text[end - 1] === '\n' ? end - 1 : end) }, '');
  if (/^\s*-\s+$/.test(before)) {
    // First key of a sequence item (`- key: v`): pull the next key up onto the dash.
    const next = nextLineStart(text, end);
    const col = start - ls;
    if (text.slice(next, next + col).trim() === '' && text.length >= next + col && /\S/.test(text[next + col] ?? '')) {
      return replace({ start, end: next + col }, '');
    }
  }
  return replace({ start, end }, '');
}

/** Adds `name: value` to a layer's mapping, next to its `type:`, in the layer's own style. */
export function insertLayerParam(text: string, layer: LayerSpec, name: string, valueText: string): TextEdit | undefined {
  const kr = layer.kindRange;
  if (layer.kind === '' || text.length < kr.end) return undefined;
  const ls = lineStart(text, kr.start);
  const prefix = text.slice(ls, kr.start);
  const m = /(^|[\s{,])(["']?)type\2\s*:\s*$/.exec(prefix);
  if (!m) {
    // Shorthand `- Dense`: turn it into a flow mapping.
    return replace(kr, `{type: ${text.slice(kr.start, kr.end)}, ${name}: ${valueText}}`);
  }
  const typeCol = m.index + m[1].length;
  const beforeType = prefix.slice(0, typeCol).trimEnd();
  if (beforeType.endsWith('{') || beforeType.endsWith(',')) {
    return { range: { start: kr.end, end: kr.end }, newText: `, ${name}: ${valueText}` };
  }
  const nl = text.indexOf('\n', kr.end);
  const at = nl < 0 ? text.length : nl;
  const lineEnd = text[at - 1] === '\r' ? at - 1 : at;
  return { range: { start: lineEnd, end: lineEnd }, newText: `\n${' '.repeat(typeCol)}${name}: ${valueText}` };
}

/** Inserts a whole layer item (as a flow mapping) before a layer written in block style. */
export function insertLayerBefore(text: string, layer: LayerSpec, itemText: string): TextEdit | undefined {
  if (text.length < layer.range.end) return undefined;
  const ls = lineStart(text, layer.range.start);
  const prefix = text.slice(ls, layer.range.start);
  if (!/^\s*-\s+$/.test(prefix)) return undefined;
  return { range: { start: ls, end: ls }, newText: `${prefix}${itemText}\n` };
}

/** Removes a whole layer item (all its lines) from a block-style `layers:` list. */
export function removeLayer(text: string, layer: LayerSpec): TextEdit | undefined {
  if (text.length < layer.range.end) return undefined;
  const ls = lineStart(text, layer.range.start);
  if (!/^\s*-\s+$/.test(text.slice(ls, layer.range.start))) return undefined;
  let end = layer.range.end;
  // The item's range may stop before a trailing comment or newline; take its last line whole.
  if (!(end > ls && text[end - 1] === '\n')) end = nextLineStart(text, end);
  return replace({ start: ls, end }, '');
}
