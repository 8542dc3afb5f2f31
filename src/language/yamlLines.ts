// A forgiving, line-by-line reading of YAML block structure. Editor features run while the user
// types, when the document is often not valid YAML; indentation, `- ` markers and `key:` prefixes
// are still there and say where the cursor is. This reads just those, per line, and never fails.

export interface YamlLine {
  /** 0-based line number. */
  line: number;
  /** Offset of the line's first character in the document. */
  start: number;
  /** The line without its line break. */
  text: string;
  /** True for empty, whitespace-only and comment-only lines, and for lines inside a block scalar. */
  skip: boolean;
  /** Column of the first non-space character. */
  indent: number;
  /** Columns of the leading `- ` sequence markers (several for `- - x`). */
  dashes: number[];
  /** Column where the content after the indentation and the markers starts. */
  contentCol: number;
  /** The key when the content is `key: ...`. */
  key?: string;
  /** Column just after the key (before the colon). */
  keyEnd: number;
  /** The value text after `key:` (or the whole content when there is no key), comment removed, trimmed. */
  value: string;
  /** Column where `value` starts. */
  valueCol: number;
}

const keyPattern = /^("[^"]*"|'[^']*'|[A-Za-z_$][\w$.-]*)[ \t]*:(?=[ \t]|$)/;

/** Column where a `#` comment starts (a `#` at the line start or after whitespace, outside quotes). */
export function commentStart(text: string, from = 0): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (/[\s[{,:]/.test(prev)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      return i;
    }
  }
  return text.length;
}

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}

/** Reads one line (without block-scalar awareness; `readLines` adds that). */
export function readLine(text: string, line: number, start: number): YamlLine {
  const body = text.slice(0, commentStart(text));
  const indent = body.length - body.trimStart().length;
  const result: YamlLine = {
    line,
    start,
    text,
    skip: body.trim().length === 0,
    indent,
    dashes: [],
    contentCol: indent,
    keyEnd: indent,
    value: '',
    valueCol: indent,
  };
  if (result.skip) return result;
  let col = indent;
  // `-` followed by a space or the line end is a sequence marker; `-1` or `-x` is a scalar.
  while (body[col] === '-' && (col + 1 >= body.length || body[col + 1] === ' ' || body[col + 1] === '\t')) {
    result.dashes.push(col);
    col++;
    while (body[col] === ' ' || body[col] === '\t') col++;
  }
  result.contentCol = col;
  const content = body.slice(col);
  const m = keyPattern.exec(content);
  if (m) {
    result.key = unquote(m[1]);
    result.keyEnd = col + m[1].length;
    const after = col + m[0].length;
    const rest = body.slice(after);
    result.valueCol = after + (rest.length - rest.trimStart().length);
    result.value = rest.trim();
  } else {
    result.keyEnd = col;
    result.valueCol = col;
    result.value = content.trim();
  }
  return result;
}

/** Every line of the document, with lines inside `|`/`>` block scalars marked as skipped. */
export function readLines(doc: string): YamlLine[] {
  const lines: YamlLine[] = [];
  let start = 0;
  let line = 0;
  // While inside a block scalar: lines indented deeper than this column belong to it.
  let scalarParentCol = -1;
  for (;;) {
    const nl = doc.indexOf('\n', start);
    const end = nl < 0 ? doc.length : nl;
    const raw = doc.slice(start, end).replace(/\r$/, '');
    const read = readLine(raw, line, start);
    if (scalarParentCol >= 0) {
      const blank = raw.trim().length === 0;
      const indent = raw.length - raw.trimStart().length;
      if (blank || indent > scalarParentCol) read.skip = true;
      else scalarParentCol = -1;
    }
    if (scalarParentCol < 0 && !read.skip && read.key !== undefined && /^[|>][-+0-9]*$/.test(read.value)) {
      // The scalar's lines are those indented deeper than its key.
      scalarParentCol = read.contentCol;
    }
    lines.push(read);
    if (nl < 0) break;
    start = nl + 1;
    line++;
  }
  return lines;
}
