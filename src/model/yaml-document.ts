// Reads YAML text into a `yaml` Document with source ranges, turning every YAML error and warning
// into a Diagnostic. Guards against inputs that would exhaust memory or the stack (very deep
// nesting, alias bombs) so that callers can walk the tree without further checks.
import { Alias, Document, isAlias, isCollection, isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode, ParsedNode } from 'yaml';
import { LineIndex, type Diagnostic, type Range } from './types';

/** Deeper flow nesting than this is refused before parsing: `yaml` needs memory per level. */
const MAX_FLOW_DEPTH = 500;
/** Deeper nesting than this (any style) is refused after parsing: tree walks recurse. */
const MAX_TREE_DEPTH = 500;
/** At most this many YAML syntax diagnostics are reported; the rest add nothing. */
const MAX_SYNTAX_DIAGNOSTICS = 50;
/** Limit on alias expansion when converting nodes to plain values. */
export const MAX_ALIAS_COUNT = 1000;

export interface YamlRead {
  /** Null when the text was refused before parsing (a diagnostic says why). */
  doc: Document.Parsed | null;
  diagnostics: Diagnostic[];
  lines: LineIndex;
  /** Anchor names that some alias (`*name`) refers to. */
  aliasedAnchors: Set<string>;
}

/** Friendlier wording for the `yaml` error codes users meet most. */
const syntaxHints: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'Tabs are not allowed for indentation in YAML; indent with spaces.',
  MULTIPLE_DOCS:
    'The file holds more than one YAML document (a line with ---); a model file must be a single document.',
};

export function clampRange(text: string, start: number, end: number): Range {
  const s = Math.max(0, Math.min(start, text.length));
  return { start: s, end: Math.max(s, Math.min(end, text.length)) };
}

export function readYamlDocument(text: string): YamlRead {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const depth = flowDepth(text);
  if (depth.depth > MAX_FLOW_DEPTH) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml-syntax',
      range: clampRange(text, depth.at, depth.at + 1),
      message: `Brackets are nested more than ${MAX_FLOW_DEPTH} levels deep here; a model file never needs that. Remove the extra [ or { characters.`,
    });
    return { doc: null, diagnostics, lines, aliasedAnchors: new Set() };
  }
  // logLevel 'error': `yaml` would otherwise print process warnings (e.g. about collection keys).
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  // One mistake often trips several errors on the same line; the first one says it best.
  const linesWithError = new Set<number>();
  for (const e of doc.errors) {
    if (linesWithError.size >= MAX_SYNTAX_DIAGNOSTICS) break;
    const line = lines.position(e.pos[0]).line;
    if (linesWithError.has(line)) continue;
    linesWithError.add(line);
    const hint = syntaxHints[e.code];
    const message = hint ? hint : `YAML syntax error: ${sentence(e.message)}`;
    diagnostics.push({ severity: 'error', code: 'yaml-syntax', range: clampRange(text, e.pos[0], e.pos[1]), message });
  }
  for (const w of doc.warnings) {
    diagnostics.push({
      severity: 'warning',
      code: 'yaml-syntax',
      range: clampRange(text, w.pos[0], w.pos[1]),
      message: `YAML warning: ${sentence(w.message)}`,
    });
  }
  const deepest = treeDepth(doc.contents);
  if (deepest.depth > MAX_TREE_DEPTH) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml-syntax',
      range: deepest.node?.range ? clampRange(text, deepest.node.range[0], deepest.node.range[1]) : clampRange(text, 0, 0),
      message: `The YAML is nested more than ${MAX_TREE_DEPTH} levels deep; a model file never needs that. Flatten the structure.`,
    });
    return { doc: null, diagnostics, lines, aliasedAnchors: new Set() };
  }
  diagnostics.push(...duplicateKeyDiagnostics(doc, text, lines));
  const aliases = checkAliases(doc, text);
  diagnostics.push(...aliases.diagnostics);
  return { doc, diagnostics, lines, aliasedAnchors: aliases.used };
}

function sentence(message: string): string {
  const m = message.trim();
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

/** Characters after which a quote opens a quoted scalar (elsewhere it is part of a plain one). */
const tokenStart = new Set([' ', '\t', '\n', '[', '{', ',', ':', '-', '?']);

/**
 * Deepest bracket nesting in the text, ignoring quoted strings and comments (roughly: it only
 * has to be right for texts that nest absurdly deep).
 */
function flowDepth(text: string): { depth: number; at: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let quote = '';
  let prev = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n' && depth === 0) quote = '';
    } else if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      prev = '\n';
      continue;
    } else if ((c === '"' || c === "'") && tokenStart.has(prev)) quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    prev = c;
  }
  return { depth: max, at };
}

/** Deepest collection nesting of the tree, walked without recursion. */
function treeDepth(root: unknown): { depth: number; node?: ParsedNode } {
  let max = 0;
  let deepest: ParsedNode | undefined;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth + 1 > max) {
      max = depth + 1;
      deepest = node as ParsedNode;
      if (max > MAX_TREE_DEPTH) break;
    }
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 });
        stack.push({ node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return { depth: max, node: deepest };
}

/** The plain text of a mapping key, or undefined for keys that are not scalars. */
export function keyName(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return v === null || v === undefined ? '' : String(v);
}

/** Every repeated key in every mapping of the document: the later occurrences are flagged. */
function duplicateKeyDiagnostics(doc: Document.Parsed, text: string, lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const seen = new Map<string, number>();
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push(item.key, item.value);
        if (!isMap(node)) continue;
        const name = keyName(item.key);
        const range = (item.key as YamlNode | null)?.range;
        if (name === undefined || !range) continue;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, range[0]);
        else {
          out.push({
            severity: 'error',
            code: 'duplicate-key',
            range: clampRange(text, range[0], range[1]),
            message: `Duplicate key \`${name}\`: it is already set at line ${lines.position(first).line + 1}. Remove one of the two; until then this later one is used.`,
          });
        }
      } else stack.push(item);
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/**
 * Finds aliases with no anchor of that name before them (`yaml` only notices when converting to
 * plain values), walking in document order as `yaml` resolves them.
 */
function checkAliases(doc: Document.Parsed, text: string): { diagnostics: Diagnostic[]; used: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const used = new Set<string>();
  const anchors = new Set<string>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      used.add(node.source);
      if (!anchors.has(node.source)) {
        const r = node.range ?? [0, 0];
        diagnostics.push({
          severity: 'error',
          code: 'yaml-syntax',
          range: clampRange(text, r[0], r[1]),
          message: `The alias \`*${node.source}\` refers to no anchor \`&${node.source}\` defined before it; add the anchor above it or write the value out.`,
        });
      }
      continue;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.add(anchor);
    if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return { diagnostics, used };
}

/** Follows an alias to the node it names (null when it names nothing). */
export function resolveNode(doc: Document.Parsed, node: unknown): unknown {
  if (!isAlias(node)) return node;
  try {
    return (node as Alias).resolve(doc) ?? null;
  } catch {
    return null;
  }
}

/**
 * The plain JS value of a node, as `yaml` would give it. Returns `ok: false` when alias expansion
 * runs past the limit (an alias bomb) or the value cannot be built.
 */
export function plainValue(doc: Document.Parsed, node: unknown): { ok: true; value: unknown } | { ok: false } {
  if (node === null || node === undefined) return { ok: true, value: null };
  if (isScalar(node)) return { ok: true, value: node.value };
  try {
    const n = node as YamlNode;
    return { ok: true, value: n.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch {
    return { ok: false };
  }
}
