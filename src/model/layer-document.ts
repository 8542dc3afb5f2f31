// A parsed model file plus the text-level steps the edit API is built from: set or remove one key
// of a layer (or of the top-level mapping), insert a layer item, remove one, replace ranges. Each
// step returns the new text; the caller re-opens it before the next step, so every step works on
// fresh source ranges. Block-style YAML is edited line by line so that comments, blank lines and
// key order survive; a one-line flow-style layer (`- {type: Dense, units: 3}`) is edited in place;
// a bare kind name (`- Flatten`), an alias or a multi-line flow item is rewritten in block style;
// a `layers:` list in flow style is turned into a block list first.
import { isAlias, isCollection, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { EditRefused } from './edit-refused';
import { parseReadModel } from './parse';
import type { LayerSpec, ModelSpec, TextEdit } from './types';
import { keyName, plainValue, readYamlDocument, resolveNode } from './yaml-document';
import { formatYamlValue } from './yaml-value';

/** Where a new key goes in a layer mapping. */
export type KeyPosition = 'first' | 'afterType' | 'last';

/** One `key: value` line of a layer item, as text. */
export type KeyLine = [key: string, value: string];

export type Opened = { ok: true; doc: LayerDocument } | { ok: false; error: string };

export class LayerDocument {
  private constructor(
    readonly text: string,
    readonly yaml: Document.Parsed,
    readonly model: ModelSpec | null,
    /** The top-level mapping; null for an empty document. */
    readonly root: YAMLMap | null,
    readonly eol: string,
    /** Anchor names that aliases refer to: nodes with these anchors are shared. */
    private readonly aliasedAnchors: Set<string>,
  ) {}

  /** Parses the text; refuses texts with YAML syntax errors or that are not a mapping. */
  static open(text: string): Opened {
    const read = readYamlDocument(text);
    if (!read.doc) return { ok: false, error: read.diagnostics[0]?.message ?? 'The file could not be read as YAML.' };
    const syntax = read.diagnostics.find((d) => d.code === 'yaml-syntax' && d.severity === 'error');
    if (syntax) {
      const line = read.lines.position(syntax.range.start).line + 1;
      return { ok: false, error: `The file has a YAML syntax error at line ${line} (${syntax.message}); fix it before editing the model.` };
    }
    const contents = resolveNode(read.doc, read.doc.contents);
    const empty = contents === null || contents === undefined || (isScalar(contents) && contents.value === null);
    if (!empty && !isMap(contents)) {
      return { ok: false, error: 'The file is not a YAML mapping with a `layers:` key, so it cannot be edited as a model.' };
    }
    if (isMap(contents) && contents.flow) {
      return { ok: false, error: 'The top level of the file is written in flow style ({...}); write it in block style to edit it.' };
    }
    const model = parseReadModel(text, read).model;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const root = empty ? null : (contents as YAMLMap);
    return { ok: true, doc: new LayerDocument(text, read.doc, model, root, eol, read.aliasedAnchors) };
  }

  // ---- lookups ------------------------------------------------------------------------------

  get layers(): LayerSpec[] {
    return this.model?.layers ?? [];
  }

  findLayer(id: string): LayerSpec | undefined {
    return this.layers.find((l) => l.id === id);
  }

  /** The `layers:` pair of the top-level mapping (the last one when repeated). */
  layersPair(): Pair | undefined {
    if (!this.root) return undefined;
    let found: Pair | undefined;
    for (const p of this.root.items) if (keyName(p.key) === 'layers') found = p;
    return found;
  }

  layersSeq(): YAMLSeq | undefined {
    const pair = this.layersPair();
    const v = pair ? resolveNode(this.yaml, pair.value) : undefined;
    return isSeq(v) ? v : undefined;
  }

  /** The item node of the `layers:` sequence at a sequence index, as written (aliases unresolved). */
  rawItem(index: number): unknown {
    return this.layersSeq()?.items[index];
  }

  /**
   * Refuses to edit a node that aliases elsewhere in the file refer to: the change would show up
   * in those places too.
   */
  assertNotShared(node: unknown, what: string): void {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor && this.aliasedAnchors.has(anchor)) {
      throw new EditRefused(
        `${what} is shared through the YAML anchor \`&${anchor}\` (used by \`*${anchor}\`), so changing it would change the other places too; edit it by hand.`,
      );
    }
  }

  // ---- steps --------------------------------------------------------------------------------

  /**
   * Sets (value text given) or removes (undefined) one key of the layer item at a sequence index.
   * The `layers:` list must be in block style (see `layersToBlock`). Returns the new text.
   */
  setLayerKey(index: number, key: string, value: string | undefined, position: KeyPosition): string {
    const raw = this.rawItem(index);
    this.assertNotShared(raw, `Layer #${index + 1}`);
    if (isMap(raw) && !raw.flow) return this.setBlockMapKey(raw, key, value, position);
    if (isMap(raw) && !this.text.slice(nodeStart(raw), nodeEnd(raw)).includes('\n')) {
      return this.setFlowMapKey(raw, key, value, position);
    }
    return this.rewriteItem(index, (lines) => applyKeyLine(lines, key, value, position));
  }

  /** Sets or removes a key of the top-level mapping (only keys that are already there are set). */
  setTopLevelKey(key: string, value: string | undefined): string {
    if (!this.root) throw new Error('the document is empty');
    return this.setBlockMapKey(this.root, key, value, 'last');
  }

  /** Replaces ranges of the text (they must not overlap). */
  replaceRanges(edits: TextEdit[]): string {
    const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
    let text = this.text;
    for (const e of sorted) text = text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
    return text;
  }

  /**
   * Inserts a new layer item after the item at sequence index `after` (at the end when undefined),
   * in the indentation style of the existing items. A flow-style `layers:` list must have been
   * turned into a block list first (an empty one may stay `[]`).
   */
  insertLayer(after: number | undefined, lines: KeyLine[]): string {
    const pair = this.layersPair();
    const text = this.text;
    const eol = this.eol;
    if (!pair) {
      const block = this.renderItem(2, 4, lines);
      const sep = text.length === 0 || text.endsWith('\n') ? '' : eol;
      return `${text}${sep}layers:${eol}${block}${eol}`;
    }
    const value = resolveNode(this.yaml, pair.value);
    if (isSeq(value) && !value.flow && value.items.length > 0) {
      const style = this.itemStyle(value);
      const index = after === undefined ? value.items.length - 1 : after;
      const block = this.renderItem(style.dashCol, style.keyCol, lines);
      const at = this.itemEnd(value.items[index]);
      if (at === text.length && !text.endsWith('\n')) return `${text}${eol}${block}`;
      return text.slice(0, at) + block + eol + text.slice(at);
    }
    // `layers:` with no value or an empty list: the new item goes on the lines below the key.
    const keyCol = this.column(nodeStart(pair.key));
    const colon = this.colonAfter(pair.key);
    const hasValue = value !== null && value !== undefined && !(isScalar(value) && value.value === null);
    const valueStart = hasValue ? nodeStart(value) : colon + 1;
    const valueEnd = hasValue ? nodeEnd(value) : colon + 1;
    const lineEnd = this.lineEnd(valueEnd);
    // Keep a comment that follows the value on its line.
    const rest = text.slice(valueEnd, lineEnd);
    const block = this.renderItem(keyCol + 2, keyCol + 4, lines);
    return text.slice(0, colon + 1) + (hasValue ? text.slice(colon + 1, valueStart).trimEnd() : '') + rest + eol + block + text.slice(lineEnd);
  }

  /** Removes the layer item at a sequence index, with the comment lines indented inside it. */
  removeLayerItem(index: number): string {
    const raw = this.rawItem(index);
    this.assertNotShared(raw, `Layer #${index + 1}`);
    const start = this.lineStart(this.findDash(raw));
    return this.text.slice(0, start) + this.text.slice(this.itemEnd(raw));
  }

  /** Rewrites a flow-style `layers: [...]` as a block list, one `- item` line per layer. */
  layersToBlock(): string {
    const pair = this.layersPair();
    const seq = this.layersSeq();
    if (!pair || !seq || !seq.flow) return this.text;
    const keyCol = this.column(nodeStart(pair.key));
    const dash = ' '.repeat(keyCol + 2);
    const items = seq.items.map((item) => `${this.eol}${dash}- ${this.flowItemText(item)}`);
    const colon = this.colonAfter(pair.key);
    if (items.length === 0) return this.text.slice(0, colon + 1) + this.text.slice(nodeEnd(seq));
    return this.text.slice(0, colon + 1) + items.join('') + this.text.slice(nodeEnd(seq));
  }

  // ---- block mappings -----------------------------------------------------------------------

  private setBlockMapKey(map: YAMLMap, key: string, value: string | undefined, position: KeyPosition): string {
    const pairs = map.items.filter((p) => keyName(p.key) === key);
    const text = this.text;
    if (value === undefined) {
      if (pairs.length === 0) return text;
      const cuts = pairs.map((p) => this.pairRemoval(map, p)).sort((a, b) => b.start - a.start);
      let out = text;
      for (const c of cuts) out = out.slice(0, c.start) + c.text + out.slice(c.end);
      return out;
    }
    if (pairs.length > 0) {
      const pair = pairs[pairs.length - 1];
      const v = pair.value as YamlNode | null;
      this.assertNotShared(v, `The value of \`${key}\``);
      const inline = v && v.range && v.range[1] > v.range[0] && (isAlias(v) || (isCollection(v) && v.flow) || isInlineScalar(v));
      if (inline) return text.slice(0, v.range![0]) + value + text.slice(v.range![1]);
      const colon = this.colonAfter(pair.key);
      const isEmpty = !v || !v.range || v.range[1] <= v.range[0];
      if (isEmpty) return text.slice(0, colon + 1) + ` ${value}` + text.slice(colon + 1);
      const end = Math.max(colon + 1, this.contentEnd(v));
      return text.slice(0, colon + 1) + ` ${value}` + text.slice(end);
    }
    const first = map.items[0];
    if (!first) throw new Error('cannot add a key to an empty mapping');
    const indent = ' '.repeat(this.column(nodeStart(first.key)));
    let anchor: Pair | undefined;
    if (position === 'afterType') anchor = map.items.filter((p) => keyName(p.key) === 'type').pop();
    if (position === 'first') {
      const at = nodeStart(first.key);
      return `${text.slice(0, at)}${key}: ${value}${this.eol}${indent}${text.slice(at)}`;
    }
    const after = anchor ?? map.items[map.items.length - 1];
    const at = this.lineEnd(this.contentEnd(after.value ?? after.key, after.key));
    return `${text.slice(0, at)}${this.eol}${indent}${key}: ${value}${text.slice(at)}`;
  }

  /** Sets or removes a key of a one-line flow mapping (`{type: Dense, units: 3}`) in place. */
  private setFlowMapKey(map: YAMLMap, key: string, value: string | undefined, position: KeyPosition): string {
    const text = this.text;
    const pairs = map.items;
    const matching = pairs.filter((p) => keyName(p.key) === key);
    const pairEnd = (p: Pair): number => nodeEnd(p.value ?? p.key);
    if (value === undefined) {
      if (matching.length === 0) return text;
      // Cut each pair with the separator before it (or after it, for the first pair).
      const cuts = matching.map((p) => {
        const i = pairs.indexOf(p);
        if (i > 0) return { start: pairEnd(pairs[i - 1]), end: pairEnd(p) };
        const next = pairs[i + 1];
        return { start: nodeStart(p.key), end: next ? nodeStart(next.key) : pairEnd(p) };
      });
      let out = text;
      for (const c of cuts.sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + out.slice(c.end);
      return out;
    }
    if (matching.length > 0) {
      const pair = matching[matching.length - 1];
      const v = pair.value as YamlNode | null;
      this.assertNotShared(v, `The value of \`${key}\``);
      if (v?.range && v.range[1] > v.range[0]) return text.slice(0, v.range[0]) + value + text.slice(v.range[1]);
      const at = pairEnd(pair);
      const colon = text.indexOf(':', nodeEnd(pair.key));
      return colon >= 0 && colon < nodeEnd(map) ? `${text.slice(0, colon + 1)} ${value}${text.slice(colon + 1)}` : `${text.slice(0, at)}: ${value}${text.slice(at)}`;
    }
    const entry = `${key}: ${value}`;
    const typePair = position === 'afterType' ? pairs.filter((p) => keyName(p.key) === 'type').pop() : undefined;
    if (pairs.length === 0 || position === 'first') {
      const at = nodeStart(map) + 1;
      return `${text.slice(0, at)}${entry}${pairs.length > 0 ? ', ' : ''}${text.slice(at)}`;
    }
    const at = pairEnd(typePair ?? pairs[pairs.length - 1]);
    return `${text.slice(0, at)}, ${entry}${text.slice(at)}`;
  }

  /** What to cut to remove one pair of a block mapping. */
  private pairRemoval(map: YAMLMap, pair: Pair): { start: number; end: number; text: string } {
    const keyStart = nodeStart(pair.key);
    const lineStart = this.lineStart(keyStart);
    const onOwnLine = this.text.slice(lineStart, keyStart).trim() === '';
    const valueEnd = this.contentEnd(pair.value ?? pair.key, pair.key);
    if (onOwnLine) return { start: lineStart, end: this.afterLine(valueEnd), text: '' };
    // The key shares its line with `- ` (or a parent key): pull the next key up into its place.
    const next = map.items[map.items.indexOf(pair) + 1];
    if (next) return { start: keyStart, end: nodeStart(next.key), text: '' };
    return { start: keyStart, end: valueEnd, text: '{}' };
  }

  // ---- items in other styles ----------------------------------------------------------------

  /** Rewrites a flow-style, bare-name or alias layer item as a block mapping. */
  private rewriteItem(index: number, change: (lines: KeyLine[]) => KeyLine[]): string {
    const raw = this.rawItem(index) as YamlNode;
    const lines = change(this.itemKeyLines(raw));
    const start = nodeStart(raw);
    const col = this.column(start);
    const body = lines.map(([k, v]) => (v === '' ? `${k}:` : `${k}: ${v}`)).join(`${this.eol}${' '.repeat(col)}`);
    return this.text.slice(0, start) + (body === '' ? '{}' : body) + this.text.slice(nodeEnd(raw));
  }

  /** The `key: value` lines of a layer item, with the values as one-line YAML. */
  private itemKeyLines(raw: unknown): KeyLine[] {
    const node = resolveNode(this.yaml, raw);
    if (isScalar(node)) return [['type', this.inlineText(node)]];
    if (!isMap(node)) return [];
    return node.items.map((p) => [this.inlineText(p.key), p.value === null ? '' : this.inlineText(p.value)]);
  }

  /** A node as one line of YAML: its source when that is one line, else re-written from its value. */
  private inlineText(node: unknown): string {
    const n = node as YamlNode | null;
    if (!n || !n.range) return '';
    const src = this.text.slice(n.range[0], n.range[1]);
    const blockScalar = isScalar(n) && (n.type === Scalar.BLOCK_LITERAL || n.type === Scalar.BLOCK_FOLDED);
    const blockCollection = isCollection(n) && !n.flow;
    if (!src.includes('\n') && !blockScalar && !blockCollection) return src;
    const plain = plainValue(this.yaml, n);
    const out = plain.ok ? formatYamlValue(plain.value) : undefined;
    if (out === undefined) throw new Error('a value could not be written on one line');
    return out;
  }

  /** An item of a flow `layers:` list as one line for a block list item. */
  private flowItemText(raw: unknown): string {
    const n = raw as YamlNode;
    const src = this.text.slice(nodeStart(n), nodeEnd(n));
    if (!src.includes('\n')) return src;
    const node = resolveNode(this.yaml, raw);
    if (isMap(node)) {
      return `{${node.items.map((p) => `${this.inlineText(p.key)}: ${p.value === null ? 'null' : this.inlineText(p.value)}`).join(', ')}}`;
    }
    return this.inlineText(n);
  }

  private renderItem(dashCol: number, keyCol: number, lines: KeyLine[]): string {
    const dash = `${' '.repeat(dashCol)}- `;
    const pad = ' '.repeat(Math.max(keyCol, dashCol + 2));
    return lines.map(([k, v], i) => `${i === 0 ? dash : pad}${k}: ${v}`).join(this.eol);
  }

  /** Column of the dash and of the keys in the existing items of a block `layers:` list. */
  private itemStyle(seq: YAMLSeq): { dashCol: number; keyCol: number } {
    const first = seq.items[0];
    const dashCol = this.column(this.findDash(first));
    const blockMap = seq.items.find((i) => isMap(i) && !i.flow && i.items.length > 0) as YAMLMap | undefined;
    if (!blockMap) return { dashCol, keyCol: dashCol + 2 };
    const ownDash = this.column(this.findDash(blockMap));
    const keyOffset = this.column(nodeStart(blockMap.items[0].key)) - ownDash;
    return { dashCol, keyCol: dashCol + Math.max(2, keyOffset) };
  }

  // ---- text positions -----------------------------------------------------------------------

  /** Offset of the `-` that starts a block sequence item. */
  private findDash(raw: unknown): number {
    const start = nodeStart(raw as YamlNode);
    let p = start;
    while (p >= 0) {
      const ls = this.lineStart(p);
      let f = ls;
      while (f < this.text.length && (this.text[f] === ' ' || this.text[f] === '\t')) f++;
      if (this.text[f] === '-' && f < start) return f;
      if (ls === 0) break;
      p = ls - 1;
    }
    return start;
  }

  /**
   * Offset of the start of the line after a sequence item: after its last line and after the
   * comment lines below it that are indented deeper than its dash (they belong to it).
   */
  private itemEnd(raw: unknown): number {
    const dashCol = this.column(this.findDash(raw));
    let end = this.afterLine(this.contentEnd(raw));
    while (end < this.text.length) {
      const line = this.text.slice(end, this.lineEnd(end));
      const body = line.trimStart();
      if (!body.startsWith('#') || line.length - body.length <= dashCol) break;
      end = this.afterLine(end);
    }
    return end;
  }

  /** Offset just after the last non-blank character of a node (ignoring trailing newlines). */
  private contentEnd(node: unknown, fallback?: unknown): number {
    const n = (node as YamlNode | null)?.range ? (node as YamlNode) : (fallback as YamlNode | undefined);
    if (!n?.range) return 0;
    let end = Math.min(n.range[1], this.text.length);
    while (end > n.range[0] && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  private colonAfter(key: unknown): number {
    const from = nodeEnd(key as YamlNode);
    const colon = this.text.indexOf(':', from);
    return colon < 0 ? from : colon;
  }

  private lineStart(offset: number): number {
    return offset <= 0 ? 0 : this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset of the end of the line (before `\r\n` or `\n`), or the text's end. */
  private lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    if (nl < 0) return this.text.length;
    return nl > 0 && this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** Offset of the start of the next line (or the text's end). */
  private afterLine(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }
}

function nodeStart(node: YamlNode | unknown): number {
  return (node as YamlNode | null)?.range?.[0] ?? 0;
}

function nodeEnd(node: YamlNode | unknown): number {
  return (node as YamlNode | null)?.range?.[1] ?? 0;
}

function isInlineScalar(v: YamlNode): boolean {
  return isScalar(v) && v.type !== Scalar.BLOCK_LITERAL && v.type !== Scalar.BLOCK_FOLDED;
}

/** Sets or removes a key in a list of key lines, placing a new key by `position`. */
export function applyKeyLine(lines: KeyLine[], key: string, value: string | undefined, position: KeyPosition): KeyLine[] {
  if (value === undefined) return lines.filter(([k]) => k !== key);
  const last = lines.map(([k]) => k).lastIndexOf(key);
  if (last >= 0) return lines.map((l, i) => (i === last ? [key, value] : l));
  if (position === 'first') return [[key, value], ...lines];
  if (position === 'afterType') {
    const t = lines.findIndex(([k]) => k === 'type');
    if (t >= 0) return [...lines.slice(0, t + 1), [key, value], ...lines.slice(t + 1)];
  }
  return [...lines, [key, value]];
}

