// Where in the model's structure a cursor is — which mapping or sequence, key or value — read from
// the indentation and the text around it, so that it works on half-typed, invalid YAML too.
import type { Range } from '../model/types';
import { flowAtCursor } from './flow';
import { commentStart, readLine, readLines, type YamlLine } from './yamlLines';

/** One step from the document root down to the cursor: a mapping key or a sequence item. */
export interface PathStep {
  type: 'key' | 'item';
  /** The key, for `key` steps. */
  key?: string;
  /** Line where the step's node is written (the `- ` line for items). */
  line: number;
}

export interface CursorContext {
  /**
   * `key`: where a key of the mapping at `path` goes; `value`: the value of `key` in the mapping at
   * `path`; `item`: an item of the sequence at `path`; `none`: nowhere useful (comments, block
   * scalars, nested values).
   */
  at: 'key' | 'value' | 'item' | 'none';
  path: PathStep[];
  /** For `value`: the key whose value the cursor is in. */
  key?: string;
  /** The part of the word under the cursor that lies before it. */
  prefix: string;
  /** Offsets of the whole word under the cursor (what a completion replaces). */
  replace: Range;
  /** For `key`/`value`: the other keys of the same mapping with their value text. */
  siblings: Map<string, string>;
  /** For `item`: the other items of the same sequence (scalars only). */
  items: string[];
  /** True inside a `[...]`/`{...}` flow collection. */
  flow: boolean;
  /** Column where the keys of the mapping (or the item's content) start: indentation for snippets. */
  indentCol: number;
  /** True when the cursor sits right after `key:` with no space: inserted values need one. */
  needsSpace: boolean;
  /** The line's text after the word under the cursor (comment removed, trimmed): a key that is
   * followed by `: value` already must not get another `: ` from a completion. */
  restOfLine: string;
}

const wordChar = /[A-Za-z0-9_.$+-]/;

function emptyContext(offset: number): CursorContext {
  return {
    at: 'none',
    path: [],
    prefix: '',
    replace: { start: offset, end: offset },
    siblings: new Map(),
    items: [],
    flow: false,
    indentCol: 0,
    needsSpace: false,
    restOfLine: '',
  };
}

interface Ancestry {
  steps: PathStep[];
  /** Keys of the starting mapping found above the start line. */
  keys: Map<string, string>;
  /** Scalar items of the starting sequence found above the start line. */
  items: string[];
}

/**
 * Walks up from `fromLine` to find the parents of a node at column `col` (a mapping key, or a
 * sequence item when `isItem`), collecting the siblings met on the way.
 */
function ancestors(lines: YamlLine[], fromLine: number, col: number, isItem: boolean): Ancestry {
  const reversed: PathStep[] = [];
  const keys = new Map<string, string>();
  const items: string[] = [];
  let c = col;
  let item = isItem;
  let firstLevel = true;
  const enter = (l: YamlLine, withKey: boolean) => {
    if (withKey) reversed.push({ type: 'key', key: l.key, line: l.line });
    for (let d = l.dashes.length - 1; d >= 0; d--) reversed.push({ type: 'item', line: l.line });
    c = l.dashes.length > 0 ? l.dashes[0] : l.contentCol;
    item = l.dashes.length > 0;
    firstLevel = false;
  };
  for (let i = fromLine - 1; i >= 0; i--) {
    const l = lines[i];
    if (l.skip) continue;
    if (item) {
      if (l.dashes.includes(c)) {
        if (firstLevel && l.key === undefined && l.dashes[l.dashes.length - 1] === c) items.push(l.value);
        continue;
      }
      // The owner of the sequence: a key to the left, or a `key:` at the same column (compact style).
      if (l.key !== undefined && (l.contentCol < c || (l.contentCol === c && l.value === '' && l.dashes.length === 0))) {
        enter(l, true);
        continue;
      }
      if (l.contentCol > c || l.dashes.some((d) => d > c)) continue;
      break;
    } else {
      if (l.contentCol === c && l.key !== undefined) {
        if (firstLevel && !keys.has(l.key)) keys.set(l.key, l.value);
        if (l.dashes.length > 0) enter(l, false);
        continue;
      }
      if (l.contentCol > c) continue;
      if (l.dashes.length > 0 && l.dashes[l.dashes.length - 1] >= c) continue;
      if (l.key !== undefined) {
        enter(l, true);
        continue;
      }
      if (l.dashes.length > 0 && l.value === '') {
        enter(l, false);
        continue;
      }
      break;
    }
  }
  return { steps: reversed.reverse(), keys, items: items.reverse() };
}

/** Keys of the mapping at column `col` written below `fromLine`. */
function keysBelow(lines: YamlLine[], fromLine: number, col: number, into: Map<string, string>): void {
  for (let i = fromLine + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.skip) continue;
    if (l.dashes.length > 0 && l.dashes[0] < col) break;
    if (l.contentCol < col) break;
    if (l.contentCol === col && l.dashes.length === 0 && l.key !== undefined && !into.has(l.key)) into.set(l.key, l.value);
  }
}

/** Scalar items of the sequence at column `col` written below `fromLine`. */
function itemsBelow(lines: YamlLine[], fromLine: number, col: number, into: string[]): void {
  for (let i = fromLine + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.skip) continue;
    if (l.dashes.includes(col)) {
      if (l.key === undefined && l.dashes[l.dashes.length - 1] === col) into.push(l.value);
      continue;
    }
    if (l.contentCol > col) continue;
    break;
  }
}

/** The path of the node a line's content belongs to: the mapping of its key, or its item. */
function linePath(lines: YamlLine[], l: YamlLine): Ancestry {
  if (l.dashes.length === 0) return ancestors(lines, l.line, l.contentCol, false);
  const a = ancestors(lines, l.line, l.dashes[0], true);
  for (let d = 0; d < l.dashes.length; d++) a.steps.push({ type: 'item', line: l.line });
  return { steps: a.steps, keys: new Map(), items: a.items };
}

function wordAround(text: string, col: number): { start: number; end: number } {
  let s = col;
  while (s > 0 && wordChar.test(text[s - 1])) s--;
  let e = col;
  while (e < text.length && wordChar.test(text[e])) e++;
  return { start: s, end: e };
}

/** Where the cursor at `offset` is in the model's structure. */
export function cursorContext(text: string, offset: number): CursorContext {
  const o = Math.max(0, Math.min(offset, text.length));
  const lines = readLines(text);
  let ln = 0;
  while (ln + 1 < lines.length && lines[ln + 1].start <= o) ln++;
  const line = lines[ln];
  const col = o - line.start;
  const ctx = emptyContext(o);
  // Inside a comment or a block scalar: nothing to offer.
  if (commentStart(line.text) < col) return ctx;
  if (line.skip && line.text.trim().length > 0 && commentStart(line.text) === line.text.length) return ctx;
  const before = readLine(line.text.slice(0, col), ln, line.start);
  const word = wordAround(line.text, col);
  ctx.replace = { start: line.start + word.start, end: line.start + word.end };
  ctx.prefix = line.text.slice(word.start, col);
  ctx.restOfLine = line.text.slice(word.end, commentStart(line.text)).trim();

  // Flow collections on the line: `inputs: [a, |` or `- {type: Dense, |}`.
  const flowFrom = before.key !== undefined ? before.keyEnd + 1 : before.contentCol;
  const flow = flowAtCursor(line.text, flowFrom, col);
  if (flow) return flowContext(lines, line, before, flow, ctx);

  if (before.skip) {
    // Only indentation before the cursor: a new key of the mapping at this column.
    const a = ancestors(lines, ln, col, false);
    keysBelow(lines, ln, col, a.keys);
    return { ...ctx, at: 'key', path: a.steps, siblings: a.keys, indentCol: col };
  }
  if (before.key !== undefined) {
    // `key: partial|` — the value of `key`.
    const a = linePath(lines, before);
    const siblings = a.keys;
    keysBelow(lines, ln, before.contentCol, siblings);
    siblings.delete(before.key);
    const needsSpace = line.text[col - 1] === ':';
    return { ...ctx, at: 'value', key: before.key, path: a.steps, siblings, indentCol: before.contentCol, needsSpace };
  }
  if (!/^[A-Za-z0-9_.$+-]*$/.test(before.value)) return ctx;
  if (before.dashes.length > 0) {
    // `- partial|` — an item of the sequence whose marker is the last dash.
    const first = before.dashes[0];
    const last = before.dashes[before.dashes.length - 1];
    const a = ancestors(lines, ln, first, true);
    for (let d = 0; d < before.dashes.length - 1; d++) a.steps.push({ type: 'item', line: ln });
    const items = before.dashes.length === 1 ? a.items : [];
    itemsBelow(lines, ln, last, items);
    return { ...ctx, at: 'item', path: a.steps, items, indentCol: before.contentCol };
  }
  // `partial|` at the start of a line — a key being typed.
  const a = ancestors(lines, ln, before.contentCol, false);
  keysBelow(lines, ln, before.contentCol, a.keys);
  return { ...ctx, at: 'key', path: a.steps, siblings: a.keys, indentCol: before.contentCol };
}

function flowContext(
  lines: YamlLine[],
  line: YamlLine,
  before: YamlLine,
  flow: NonNullable<ReturnType<typeof flowAtCursor>>,
  ctx: CursorContext,
): CursorContext {
  // The block node that holds the outermost collection: the value of the line's key, or an item.
  const owner = linePath(lines, before);
  const path = owner.steps;
  if (before.key !== undefined) path.push({ type: 'key', key: before.key, line: line.line });
  for (let f = 1; f < flow.frames.length; f++) {
    const parent = flow.frames[f - 1];
    if (parent.open === '{') path.push({ type: 'key', key: flow.frames[f].parentKey ?? '', line: line.line });
    else path.push({ type: 'item', line: line.line });
  }
  const frame = flow.frames[flow.frames.length - 1];
  const others = frame.entries.filter((_, i) => i !== frame.cursorEntry);
  const base = { ...ctx, path, flow: true, indentCol: before.contentCol };
  if (frame.open === '[') {
    return { ...base, at: 'item', items: others.map((e) => e.value) };
  }
  const siblings = new Map(others.filter((e) => e.key !== undefined).map((e) => [e.key!, e.value] as [string, string]));
  const colon = flow.entryBefore.indexOf(':');
  if (colon >= 0) {
    const key = flow.entryBefore.slice(0, colon).trim().replace(/^(["'])(.*)\1$/, '$2');
    const needsSpace = flow.entryBefore.endsWith(':');
    return { ...base, at: 'value', key, siblings, needsSpace };
  }
  return { ...base, at: 'key', siblings };
}

/** The line of the `- ` marker of the enclosing layer item, when the path is inside one. */
export function layerItemLine(path: readonly PathStep[]): number | undefined {
  if (path.length >= 2 && path[0].type === 'key' && path[0].key === 'layers' && path[1].type === 'item') return path[1].line;
  return undefined;
}
