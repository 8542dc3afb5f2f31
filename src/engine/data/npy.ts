// Reads and writes NumPy .npy arrays. Reading checks the header and the declared size against
// the bytes actually present before allocating anything, then reads the data straight into a
// typed array. Writing covers the dtypes the engine produces (float32/64, int32/64).
import * as fs from 'fs';
import { parseHeaderDict, readPreamble, type HeaderResult, type NpyHeader, type NpyKind } from './npyHeader';

const HOST_IS_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export interface NpyArray {
  /** The dtype as stored, normalised ('<f4', '>i8', '|u1', '|b1' ...). */
  descr: string;
  kind: NpyKind;
  shape: number[];
  /** Values in native byte order. float16 comes back as Float32Array; bool as Uint8Array of 0/1. */
  data: NpyData;
}

export type NpyResult = { ok: true; array: NpyArray } | { ok: false; message: string };

/** Random access to the bytes of a .npy file, whether on disk or already in memory (an .npz entry). */
export interface ByteSource {
  size: number;
  /** Copies bytes [position, position + dest.length) into dest; returns how many were copied. */
  read(dest: Uint8Array, position: number): number;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(dest, position) {
      const chunk = bytes.subarray(position, position + dest.length);
      dest.set(chunk);
      return chunk.length;
    },
  };
}

function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(dest, position) {
      let done = 0;
      while (done < dest.length) {
        const n = fs.readSync(fd, dest, done, dest.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
  };
}

/** Reverses the bytes of every item in place (big-endian data on a little-endian machine). */
function swapBytes(bytes: Uint8Array, itemSize: number): void {
  for (let i = 0; i < bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** IEEE half-precision bits to a float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function allocate(header: NpyHeader): NpyData {
  const n = header.elements;
  switch (header.kind + header.itemSize) {
    case 'float2': return new Uint16Array(n); // converted to float32 after reading
    case 'float4': return new Float32Array(n);
    case 'float8': return new Float64Array(n);
    case 'int1': return new Int8Array(n);
    case 'int2': return new Int16Array(n);
    case 'int4': return new Int32Array(n);
    case 'int8': return new BigInt64Array(n);
    case 'uint2': return new Uint16Array(n);
    case 'uint4': return new Uint32Array(n);
    case 'uint8': return new BigUint64Array(n);
    default: return new Uint8Array(n); // uint8, bool
  }
}

/** Reads and checks the header from any byte source; allocates nothing for the data. */
export function readNpyHeaderFrom(source: ByteSource, where: string): HeaderResult {
  const head = new Uint8Array(Math.min(12, source.size));
  source.read(head, 0);
  const preamble = readPreamble(head, source.size, where);
  if (!preamble.ok) return preamble;
  const dictBytes = new Uint8Array(preamble.dictLength);
  if (source.read(dictBytes, preamble.dictStart) !== dictBytes.length) return { ok: false, message: `${where}: truncated inside the .npy header` };
  return parseHeaderDict(dictBytes, preamble.version, preamble.dictStart + preamble.dictLength, source.size, where);
}

/** Reads the data described by a header (from readNpyHeaderFrom) into a native typed array. */
export function readNpyDataFrom(source: ByteSource, header: NpyHeader, where: string): NpyResult {
  let data: NpyData;
  try {
    data = allocate(header);
  } catch (err) {
    return { ok: false, message: `${where}: cannot allocate ${header.elements} elements of ${header.descr}: ${(err as Error).message}` };
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const got = source.read(bytes, header.dataOffset);
  if (got !== bytes.length) return { ok: false, message: `${where}: truncated: expected ${bytes.length} data bytes, read ${got}` };
  if (header.swap) swapBytes(bytes, header.itemSize);
  if (header.kind === 'float' && header.itemSize === 2) {
    const half = data as Uint16Array;
    const out = new Float32Array(half.length);
    for (let i = 0; i < half.length; i++) out[i] = halfToFloat(half[i]);
    data = out;
  }
  return { ok: true, array: { descr: header.descr, kind: header.kind, shape: header.shape, data } };
}

/** Parses the header, checks it against the source size, then reads the data. */
export function readNpySource(source: ByteSource, where: string): NpyResult {
  const parsed = readNpyHeaderFrom(source, where);
  if (!parsed.ok) return parsed;
  return readNpyDataFrom(source, parsed.header, where);
}

/** Reads a .npy file. Never throws: I/O and format problems come back as messages naming the file. */
export function readNpy(file: string): NpyResult {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    return { ok: false, message: `cannot open ${file}: ${(err as Error).message}` };
  }
  try {
    const size = fs.fstatSync(fd).size;
    return readNpySource(fileSource(fd, size), file);
  } catch (err) {
    return { ok: false, message: `cannot read ${file}: ${(err as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Decodes a .npy image held in memory (e.g. an .npz entry); `where` names it in messages. */
export function decodeNpy(bytes: Uint8Array, where: string): NpyResult {
  return readNpySource(bufferSource(bytes), where);
}

// ---------------------------------------------------------------------------------------------
// Writing

export type NpyWriteDtype = 'float32' | 'float64' | 'int32' | 'int64';

const WRITE_DESCR: Record<NpyWriteDtype, { descr: string; make: (n: number) => Float32Array | Float64Array | Int32Array | BigInt64Array }> = {
  float32: { descr: '<f4', make: (n) => new Float32Array(n) },
  float64: { descr: '<f8', make: (n) => new Float64Array(n) },
  int32: { descr: '<i4', make: (n) => new Int32Array(n) },
  int64: { descr: '<i8', make: (n) => new BigInt64Array(n) },
};

export type NpyWriteResult = { ok: true } | { ok: false; message: string };

/**
 * Encodes an array as a .npy image (format 1.0, or 2.0 when the header outgrows 64 KiB).
 * `data` holds the elements in C order; numbers are converted to `dtype` (int64 and int32
 * need integers), bigints are accepted for int64.
 */
export function encodeNpy(
  data: ArrayLike<number> | BigInt64Array | ArrayLike<bigint>,
  shape: readonly number[],
  dtype: NpyWriteDtype,
): { ok: true; bytes: Buffer } | { ok: false; message: string } {
  const spec = WRITE_DESCR[dtype];
  if (spec === undefined) return { ok: false, message: `writeNpy: unsupported dtype ${String(dtype)} (float32, float64, int32, int64)` };
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) return { ok: false, message: `writeNpy: shape [${shape.join(', ')}] must hold non-negative integers` };
  const elements = shape.reduce((a, d) => a * d, 1);
  if (data.length !== elements) {
    return { ok: false, message: `writeNpy: shape [${shape.join(', ')}] holds ${elements} elements but ${data.length} were given` };
  }
  const values = spec.make(elements);
  for (let i = 0; i < elements; i++) {
    const v = data[i];
    if (values instanceof BigInt64Array) {
      if (typeof v === 'bigint') values[i] = v;
      else if (Number.isSafeInteger(v)) values[i] = BigInt(v);
      else return { ok: false, message: `writeNpy: element ${i} (${String(v)}) is not an integer, as int64 needs` };
    } else if (values instanceof Int32Array) {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) return { ok: false, message: `writeNpy: element ${i} (${String(v)}) is not a 32-bit integer` };
      values[i] = n;
    } else {
      values[i] = Number(v);
    }
  }
  const body = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (values.BYTES_PER_ELEMENT > 1 && !HOST_IS_LITTLE) swapBytes(body, values.BYTES_PER_ELEMENT);

  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${spec.descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The data must start on a 64-byte boundary; the dict is padded with spaces and ends in '\n'.
  let version = 1;
  let preamble = 10;
  if (dict.length + 1 + 64 > 0xffff) {
    version = 2;
    preamble = 12;
  }
  const padded = Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble;
  dict = dict.padEnd(padded - 1, ' ') + '\n';
  const head = Buffer.alloc(preamble);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(padded, 8);
  else head.writeUInt32LE(padded, 8);
  return { ok: true, bytes: Buffer.concat([head, Buffer.from(dict, 'latin1'), body]) };
}

/** Writes a .npy file; see encodeNpy. Never throws. */
export function writeNpy(
  file: string,
  data: ArrayLike<number> | BigInt64Array | ArrayLike<bigint>,
  shape: readonly number[],
  dtype: NpyWriteDtype,
): NpyWriteResult {
  const encoded = encodeNpy(data, shape, dtype);
  if (!encoded.ok) return { ok: false, message: `${file}: ${encoded.message}` };
  try {
    fs.writeFileSync(file, encoded.bytes);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `cannot write ${file}: ${(err as Error).message}` };
  }
}
