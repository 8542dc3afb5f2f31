// A row of numbers typed or pasted into the view (a CSV line, token ids), checked against what
// the model takes; messages say what is wrong and where.

export type RowParse = { ok: true; values: number[] } | { ok: false; message: string };

export interface RowExpectations {
  /** Values the model input takes. */
  count: number;
  /** Token-id inputs: ids are integers from 0 to vocab − 1. */
  vocab?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Splits on commas, semicolons, tabs or spaces (several in a row count once), ignoring brackets. */
export function splitRow(text: string): string[] {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (t === '') return [];
  return t.split(/\s*[,;\t]\s*|\s+/).filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}

export function parseRow(text: string, expect: RowExpectations): RowParse {
  const cells = splitRow(text);
  if (cells.length === 0) return { ok: false, message: `enter ${expect.count} ${expect.vocab !== undefined ? 'token ids' : 'numbers'}, separated by commas or spaces` };
  const values: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (!NUMBER.test(cell)) return { ok: false, message: `value ${i + 1} ("${cell}") is not a number` };
    const v = Number(cell);
    if (expect.vocab !== undefined && (!Number.isInteger(v) || v < 0 || v >= expect.vocab)) {
      return { ok: false, message: `value ${i + 1} (${cell}) is not a token id: ids are integers from 0 to ${expect.vocab - 1}` };
    }
    values.push(v);
  }
  if (values.length !== expect.count) {
    const hint = values.length === expect.count + 1 ? ' — does the row still hold the label column? Leave it out' : '';
    return { ok: false, message: `the row has ${values.length} values, the model takes ${expect.count}${hint}` };
  }
  return { ok: true, values };
}
