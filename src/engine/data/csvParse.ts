// Splits CSV text into rows of fields (RFC 4180 style): a delimiter between fields, fields
// optionally in double quotes with "" for a literal quote, quoted fields may span lines,
// \n, \r\n or \r line ends, a leading byte-order mark ignored, blank lines skipped.
// Every row remembers the 1-based line it starts on, for error messages.

export interface CsvRow {
  /** 1-based line number of the row's first character. */
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; rows: CsvRow[] } | { ok: false; message: string };

/** `where` prefixes error messages (the file name). */
export function parseCsvText(text: string, delimiter: string, where: string): CsvParseResult {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    return { ok: false, message: `${where}: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.length;

  const endRow = (): void => {
    fields.push(field);
    // A row that is one empty (or blank) unquoted field is a blank line: skip it.
    if (!(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };

  while (i < n) {
    const c = text[i];
    if (c === '"' && field.trim() === '') {
      // Quoted field: read to the closing quote.
      const openLine = line;
      field = '';
      i++;
      for (;;) {
        if (i >= n) return { ok: false, message: `${where}:${openLine}: a quoted field is never closed (missing '"')` };
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      // Only spaces may sit between the closing quote and the next delimiter or line end.
      while (i < n && (text[i] === ' ' || text[i] === '\t') && text[i] !== delimiter) i++;
      if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        return { ok: false, message: `${where}:${line}: column ${fields.length + 1}: unexpected ${JSON.stringify(text[i])} after a closing quote` };
      }
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) endRow();
  return { ok: true, rows };
}
