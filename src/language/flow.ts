// Reads YAML flow collections (`[a, b]`, `{type: adam, lr: 0.01}`) on one line, forgivingly: the
// closing bracket may still be missing while the user types. Used to find where the cursor is
// inside a flow collection and what its other entries are.

export interface FlowEntry {
  /** For entries of a `{...}` mapping: the key. */
  key?: string;
  /** The value (mappings) or the item (sequences), trimmed; nested collections as raw text. */
  value: string;
  /** Columns of the entry's raw text. */
  start: number;
  end: number;
}

export interface FlowFrame {
  open: '[' | '{';
  /** Column of the opening bracket. */
  col: number;
  /** All entries of the collection on this line, the one under the cursor included. */
  entries: FlowEntry[];
  /** Index in `entries` of the entry the cursor is in. */
  cursorEntry: number;
  /** When nested in a `{...}` entry: that entry's key (`{lr: [..]}` gives `lr`). */
  parentKey?: string;
}

export interface FlowAtCursor {
  /** The collections open at the cursor, outermost first. */
  frames: FlowFrame[];
  /** Text of the innermost entry from its start up to the cursor. */
  entryBefore: string;
  /** Column where the innermost entry's text starts. */
  entryStart: number;
}

interface OpenFrame extends FlowFrame {
  entryStart: number;
}

function splitEntry(open: '[' | '{', raw: string, start: number, end: number): FlowEntry {
  const text = raw.trim();
  if (open === '{') {
    const colon = /^("[^"]*"|'[^']*'|[^:[\]{},]+):(?=\s|$|[[{])/.exec(text);
    if (colon) {
      return { key: colon[1].trim().replace(/^(["'])(.*)\1$/, '$2'), value: text.slice(colon[0].length).trim(), start, end };
    }
    return { key: text, value: '', start, end };
  }
  return { value: text, start, end };
}

/**
 * Scans `line` from column `from` (where a value starts) and reports the flow collections that are
 * open at column `cursor`; null when the cursor is not inside one.
 */
export function flowAtCursor(line: string, from: number, cursor: number): FlowAtCursor | null {
  const stack: OpenFrame[] = [];
  let atCursor: { frames: OpenFrame[]; entryBefore: string; entryStart: number } | null = null;
  let quote = '';
  const closeEntry = (frame: OpenFrame, end: number) => {
    const raw = line.slice(frame.entryStart, end);
    if (raw.trim().length > 0 || (atCursor && atCursor.frames.includes(frame) && frame.cursorEntry === frame.entries.length)) {
      frame.entries.push(splitEntry(frame.open, raw, frame.entryStart, end));
    }
  };
  for (let i = from; i <= line.length; i++) {
    if (i === cursor && atCursor === null) {
      if (stack.length === 0) return null;
      for (const f of stack) f.cursorEntry = f.entries.length;
      const top = stack[stack.length - 1];
      atCursor = { frames: stack.slice(), entryBefore: line.slice(top.entryStart, cursor), entryStart: top.entryStart };
    }
    if (i === line.length) break;
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]))) {
      quote = c;
    } else if (c === '[' || c === '{') {
      const parent = stack[stack.length - 1];
      let parentKey: string | undefined;
      if (parent?.open === '{') parentKey = splitEntry('{', line.slice(parent.entryStart, i), parent.entryStart, i).key;
      stack.push({ open: c, col: i, entries: [], cursorEntry: -1, entryStart: i + 1, parentKey });
    } else if (c === ',' && stack.length > 0) {
      const top = stack[stack.length - 1];
      closeEntry(top, i);
      top.entryStart = i + 1;
    } else if ((c === ']' || c === '}') && stack.length > 0) {
      const top = stack.pop()!;
      closeEntry(top, i);
      if (stack.length === 0 && atCursor === null) {
        // A complete collection before the cursor: anything after it is not inside.
        continue;
      }
    }
  }
  if (atCursor === null) return null;
  // Collections still open at the line end: their last entry runs to the end.
  const end = commentFreeEnd(line, from);
  for (const f of stack) closeEntry(f, end);
  const frames: FlowFrame[] = atCursor.frames.map(({ entryStart: _s, ...f }) => f);
  return { frames, entryBefore: atCursor.entryBefore, entryStart: atCursor.entryStart };
}

function commentFreeEnd(line: string, from: number): number {
  for (let i = from; i < line.length; i++) if (line[i] === '#' && /\s/.test(line[i - 1] ?? ' ')) return i;
  return line.length;
}
