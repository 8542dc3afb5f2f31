// Turns "text before" and "text after" into a few small TextEdits (a line diff, each changed run
// of lines trimmed to the characters that really differ), and applies TextEdits to a text.
// Edit operations build the new text in simple steps and hand out only the difference, so
// everything they did not mean to change stays byte-for-byte as it was.
import type { TextEdit } from './types';

/** Above this many line pairs the middle of the diff becomes one edit instead of an LCS table. */
const MAX_LCS_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Edits that turn `before` into `after`, in document order, not overlapping. */
export function diffEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const aMid = a.slice(prefix, a.length - suffix);
  const bMid = b.slice(prefix, b.length - suffix);
  const offsets: number[] = [0];
  for (const line of a) offsets.push(offsets[offsets.length - 1] + line.length);

  const hunks: { aFrom: number; aTo: number; bFrom: number; bTo: number }[] = [];
  if (aMid.length * bMid.length > MAX_LCS_CELLS || aMid.length === 0 || bMid.length === 0) {
    hunks.push({ aFrom: 0, aTo: aMid.length, bFrom: 0, bTo: bMid.length });
  } else {
    hunks.push(...lcsHunks(aMid, bMid));
  }
  const edits: TextEdit[] = [];
  for (const h of hunks) {
    const start = offsets[prefix + h.aFrom];
    const end = offsets[prefix + h.aTo];
    const oldText = before.slice(start, end);
    const newText = bMid.slice(h.bFrom, h.bTo).join('');
    edits.push(trimEdit(start, oldText, newText));
  }
  return edits;
}

/** Runs of differing lines between two line lists, from a longest-common-subsequence table. */
function lcsHunks(a: string[], b: string[]): { aFrom: number; aTo: number; bFrom: number; bTo: number }[] {
  const n = a.length;
  const m = b.length;
  // table[i][j] = LCS length of a[i..] and b[j..]
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)] + 1 : Math.max(table[at(i + 1, j)], table[at(i, j + 1)]);
    }
  }
  const hunks: { aFrom: number; aTo: number; bFrom: number; bTo: number }[] = [];
  let i = 0;
  let j = 0;
  let open: { aFrom: number; bFrom: number } | null = null;
  const close = (): void => {
    if (open) hunks.push({ aFrom: open.aFrom, aTo: i, bFrom: open.bFrom, bTo: j });
    open = null;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      close();
      i++;
      j++;
    } else {
      if (!open) open = { aFrom: i, bFrom: j };
      if (j < m && (i >= n || table[at(i, j + 1)] >= table[at(i + 1, j)])) j++;
      else i++;
    }
  }
  close();
  return hunks;
}

/** Shrinks a replacement to the part between the common prefix and suffix of old and new text. */
function trimEdit(start: number, oldText: string, newText: string): TextEdit {
  let p = 0;
  const max = Math.min(oldText.length, newText.length);
  while (p < max && oldText[p] === newText[p]) p++;
  let s = 0;
  while (s < max - p && oldText[oldText.length - 1 - s] === newText[newText.length - 1 - s]) s++;
  return {
    range: { start: start + p, end: start + oldText.length - s },
    newText: newText.slice(p, newText.length - s),
  };
}

/**
 * Applies edits whose ranges refer to the original text. Edits are applied in order of their
 * start (insertions at the same offset keep their given order); where ranges overlap, the later
 * edit only replaces what the earlier ones left. Out-of-range offsets are clamped. Never throws.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const source = typeof text === 'string' ? text : '';
  const list = Array.isArray(edits) ? edits : [];
  const clamp = (n: unknown): number => {
    const v = typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : 0;
    return Math.max(0, Math.min(v, source.length));
  };
  const sorted = list
    .map((e, i) => {
      const start = clamp(e?.range?.start);
      return { start, end: Math.max(start, clamp(e?.range?.end)), text: typeof e?.newText === 'string' ? e.newText : '', i };
    })
    .sort((x, y) => x.start - y.start || x.i - y.i);
  const parts: string[] = [];
  let cursor = 0;
  for (const e of sorted) {
    const start = Math.max(e.start, cursor);
    const end = Math.max(e.end, start);
    parts.push(source.slice(cursor, start), e.text);
    cursor = end;
  }
  parts.push(source.slice(cursor));
  return parts.join('');
}
