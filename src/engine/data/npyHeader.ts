// Parses the header of a NumPy .npy file: the magic string, the format version (1.0, 2.0 or
// 3.0), and the Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, 2), }.
// The literal is read by a tiny tokenizer, never evaluated. Only plain numeric and bool dtypes
// are accepted; object arrays (which numpy stores as pickles) are refused.
import * as os from 'os';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export type NpyKind = 'float' | 'int' | 'uint' | 'bool';

export interface NpyHeader {
  /** Normalised descr: byte order ('<', '>' or '|') + kind letter + item size, e.g. '<f4', '|u1'. */
  descr: string;
  kind: NpyKind;
  itemSize: number;
  /** True when the data is big-endian and needs swapping on this (little-endian) machine. */
  swap: boolean;
  shape: number[];
  /** Number of elements (product of the shape). */
  elements: number;
  /** Byte offset of the data from the start of the file. */
  dataOffset: number;
}

export type HeaderResult = { ok: true; header: NpyHeader } | { ok: false; message: string };

/** The dtypes we read: numpy kind letter + item size. */
const SUPPORTED: Record<string, NpyKind> = {
  f2: 'float', f4: 'float', f8: 'float',
  i1: 'int', i2: 'int', i4: 'int', i8: 'int',
  u1: 'uint', u2: 'uint', u4: 'uint', u8: 'uint',
  b1: 'bool',
};

const HOST_LITTLE = os.endianness() === 'LE';

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Reads a Python literal made of dicts, tuples, lists, strings, ints, True/False/None. */
function parsePyLiteral(text: string): { ok: true; value: PyValue } | { ok: false; message: string } {
  let pos = 0;
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const fail = (what: string): { ok: false; message: string } => ({ ok: false, message: `${what} at character ${pos + 1} of the header` });

  const parseValue = (depth: number): { ok: true; value: PyValue } | { ok: false; message: string } => {
    if (depth > 32) return fail('nesting too deep');
    skipSpace();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end');
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, pos + 1);
      if (end < 0) return fail('unterminated string');
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return { ok: true, value };
    }
    if (c === '{' || c === '(' || c === '[') {
      const close = c === '{' ? '}' : c === '(' ? ')' : ']';
      pos++;
      const items: PyValue[] = [];
      const dict: { [key: string]: PyValue } = {};
      for (;;) {
        skipSpace();
        if (text[pos] === close) {
          pos++;
          return { ok: true, value: c === '{' ? dict : items };
        }
        const item = parseValue(depth + 1);
        if (!item.ok) return item;
        if (c === '{') {
          if (typeof item.value !== 'string') return fail('dict key is not a string');
          skipSpace();
          if (text[pos] !== ':') return fail("expected ':'");
          pos++;
          const value = parseValue(depth + 1);
          if (!value.ok) return value;
          dict[item.value] = value.value;
        } else {
          items.push(item.value);
        }
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== close) return fail(`expected ',' or '${close}'`);
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^[+-]?\d+[lL]?/.exec(text.slice(pos));
    if (word === null) return fail(`unexpected '${c}'`);
    pos += word[0].length;
    if (word[0] === 'True') return { ok: true, value: true };
    if (word[0] === 'False') return { ok: true, value: false };
    if (word[0] === 'None') return { ok: true, value: null };
    if (/^[+-]?\d/.test(word[0])) return { ok: true, value: Number(word[0].replace(/[lL]$/, '')) };
    return fail(`unexpected name '${word[0]}'`);
  };

  const result = parseValue(0);
  if (!result.ok) return result;
  skipSpace();
  if (pos < text.length) return fail('unexpected text after the header dict');
  return result;
}

/** Magic + version + header length: how many bytes precede the header dict, and the dict's length. */
export function readPreamble(head: Uint8Array, totalBytes: number, where: string): { ok: true; version: number; dictStart: number; dictLength: number } | { ok: false; message: string } {
  if (totalBytes < 10 || head.length < 10 || NPY_MAGIC.some((b, i) => head[i] !== b)) {
    return { ok: false, message: `${where}: not a .npy file (it does not start with the \\x93NUMPY magic string)` };
  }
  const version = head[6];
  let dictStart: number;
  let dictLength: number;
  if (version === 1) {
    dictStart = 10;
    dictLength = head[8] | (head[9] << 8);
  } else if (version === 2 || version === 3) {
    if (head.length < 12) return { ok: false, message: `${where}: file ends inside the .npy preamble` };
    dictStart = 12;
    dictLength = (head[8] | (head[9] << 8) | (head[10] << 16)) + head[11] * 16777216;
  } else {
    return { ok: false, message: `${where}: unsupported .npy format version ${version}.${head[7]} (1.0, 2.0 and 3.0 are read)` };
  }
  if (dictStart + dictLength > totalBytes) {
    return { ok: false, message: `${where}: truncated: the header claims ${dictLength} bytes but the file has only ${totalBytes - dictStart} after the preamble` };
  }
  return { ok: true, version, dictStart, dictLength };
}

/**
 * Checks the header dict against the bytes that follow it; nothing is allocated for the data
 * here, so a corrupt or hostile shape fails before any large allocation.
 */
export function parseHeaderDict(dictBytes: Uint8Array, version: number, dataOffset: number, totalBytes: number, where: string): HeaderResult {
  // Versions 1 and 2 store the dict in latin-1, version 3 in UTF-8.
  const text = Buffer.from(dictBytes.buffer, dictBytes.byteOffset, dictBytes.byteLength).toString(version === 3 ? 'utf8' : 'latin1');
  const literal = parsePyLiteral(text.trimEnd());
  if (!literal.ok) return { ok: false, message: `${where}: malformed .npy header: ${literal.message}` };
  const dict = literal.value;
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) return { ok: false, message: `${where}: malformed .npy header: not a dict` };
  const { descr, fortran_order: fortran, shape } = dict;

  if (typeof descr !== 'string') {
    return { ok: false, message: `${where}: structured (record) dtypes are not supported; save plain numeric arrays` };
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (m !== null && m[2] === 'O') {
    return {
      ok: false,
      message: `${where}: holds Python objects (dtype ${descr}), which numpy stores as a pickle; pickles are never loaded (allow_pickle is not supported). Save a numeric array instead.`,
    };
  }
  const kind = m === null ? undefined : SUPPORTED[m[2] + m[3]];
  if (m === null || kind === undefined) {
    return { ok: false, message: `${where}: unsupported dtype ${descr}; use float16/32/64, int8/16/32/64, uint8/16/32/64 or bool` };
  }
  const itemSize = Number(m[3]);
  const order = itemSize === 1 ? '|' : m[1] === '>' ? '>' : m[1] === '<' ? '<' : HOST_LITTLE ? '<' : '>';

  if (fortran === true) {
    return { ok: false, message: `${where}: stored in Fortran (column-major) order, which is not read; save it with np.save(path, np.ascontiguousarray(a))` };
  }
  if (fortran !== false) return { ok: false, message: `${where}: malformed .npy header: fortran_order must be True or False` };

  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
    return { ok: false, message: `${where}: malformed .npy header: shape must be a tuple of non-negative integers` };
  }
  const dims = shape as number[];
  let elements = 1;
  for (const d of dims) elements *= d; // a float product: overflow shows up as a huge number, caught below
  const needed = elements * itemSize;
  const available = totalBytes - dataOffset;
  if (needed > available) {
    return {
      ok: false,
      message: `${where}: truncated or corrupt: the header declares shape (${dims.join(', ')}) of ${descr} = ${needed} bytes of data, but only ${available} bytes follow the header`,
    };
  }
  return {
    ok: true,
    header: { descr: order + m[2] + m[3], kind, itemSize, swap: (order === '>') === HOST_LITTLE && itemSize > 1, shape: dims, elements, dataOffset },
  };
}
