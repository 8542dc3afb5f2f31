// A minimal zip reader for .npz archives: finds the end-of-central-directory record (and its
// zip64 form), lists the entries from the central directory, and gives access to an entry's
// bytes, stored or deflated. Sizes and offsets are checked against the file before anything
// is read or inflated, so a corrupt or hostile archive fails with a message, not an
// allocation of its claimed size. Multi-disk archives and encryption are refused.
import * as fs from 'fs';
import * as zlib from 'zlib';
import type { ByteSource } from './npy';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  file: string;
  fd: number;
  size: number;
  entries: ZipEntry[];
}

type Fail = { ok: false; message: string };

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** Deflate cannot shrink data by more than about 1032:1; bigger claimed ratios are corrupt. */
const MAX_DEFLATE_RATIO = 1032;
/** Most compressed bytes inflated to serve reads near the start of an entry (see entrySource). */
const MAX_PREFIX_INPUT = 1 << 17;

// ---- CRC-32 (IEEE 802.3, as zip uses) --------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes`, continuing from `crc` (the CRC of the bytes before them). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- Reading the directory -------------------------------------------------------------------

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function findDirectory(fd: number, size: number, where: string): { ok: true; offset: number; length: number; count: number } | Fail {
  const bad = (what: string): Fail => ({ ok: false, message: `${where}: not a valid zip/.npz archive (${what})` });
  if (size < 22) return bad('too short');
  // The EOCD record (22 bytes + up to 64 KiB of comment) sits at the very end.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = readAt(fd, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) return bad('no end-of-central-directory record');
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) return { ok: false, message: `${where}: multi-disk zip archives are not supported` };
  let count = tail.readUInt16LE(at + 10);
  let length = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || length === 0xffffffff || offset === 0xffffffff) {
    // Zip64: a locator just before the EOCD points at the zip64 EOCD record.
    const locatorAt = size - tailLength + at - 20;
    if (locatorAt < 0) return bad('zip64 locator missing');
    const locator = readAt(fd, locatorAt, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) return bad('zip64 locator missing');
    const recordAt = u64(locator, 8);
    if (recordAt + 56 > size) return bad('zip64 record outside the file');
    const record = readAt(fd, recordAt, 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIG) return bad('zip64 record signature');
    count = u64(record, 32);
    length = u64(record, 40);
    offset = u64(record, 48);
  }
  if (offset + length > size) return bad(`central directory (${length} bytes at ${offset}) runs past the end of the ${size}-byte file`);
  // Each directory entry takes at least 46 bytes.
  if (count * 46 > length) return bad(`${count} entries cannot fit in a ${length}-byte central directory`);
  return { ok: true, offset, length, count };
}

function parseDirectory(dir: Buffer, count: number, size: number, where: string): { ok: true; entries: ZipEntry[] } | Fail {
  const bad = (what: string): Fail => ({ ok: false, message: `${where}: corrupt zip central directory (${what})` });
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let e = 0; e < count; e++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIG) return bad(`entry ${e + 1}`);
    const flags = dir.readUInt16LE(p + 8);
    const method = dir.readUInt16LE(p + 10);
    const crc = dir.readUInt32LE(p + 16);
    let compressedSize = dir.readUInt32LE(p + 20);
    let uncompressedSize = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    let localHeaderOffset = dir.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > dir.length) return bad(`entry ${e + 1} runs past the directory`);
    // Bit 11: the name is UTF-8; otherwise CP437, which agrees with latin-1 on ASCII names.
    const name = dir.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // The zip64 extra field holds, in order, whichever of the sizes and offset overflowed.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = dir.readUInt16LE(x);
      const len = dir.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const take = (): number | undefined => {
          if (q + 8 > x + 4 + len) return undefined;
          const v = u64(dir, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take() ?? uncompressedSize;
        if (compressedSize === 0xffffffff) compressedSize = take() ?? compressedSize;
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take() ?? localHeaderOffset;
      }
      x += 4 + len;
    }
    if (localHeaderOffset + 30 + compressedSize > size) return bad(`entry "${name}" lies past the end of the file`);
    entries.push({ name, method, flags, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset });
    p = end;
  }
  return { ok: true, entries };
}

/** Opens an archive and reads its directory. Close it with closeZip. Never throws. */
export function openZip(file: string): { ok: true; zip: ZipArchive } | Fail {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    return { ok: false, message: `cannot open ${file}: ${(err as Error).message}` };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const found = findDirectory(fd, size, file);
    if (!found.ok) {
      fs.closeSync(fd);
      return found;
    }
    const parsed = parseDirectory(readAt(fd, found.offset, found.length), found.count, size, file);
    if (!parsed.ok) {
      fs.closeSync(fd);
      return parsed;
    }
    return { ok: true, zip: { file, fd, size, entries: parsed.entries } };
  } catch (err) {
    fs.closeSync(fd);
    return { ok: false, message: `cannot read ${file}: ${(err as Error).message}` };
  }
}

export function closeZip(zip: ZipArchive): void {
  fs.closeSync(zip.fd);
}

// ---- Reading an entry ------------------------------------------------------------------------

/** Where the entry's (compressed) data starts, after checking its local header. */
function dataOffset(zip: ZipArchive, entry: ZipEntry): { ok: true; offset: number } | Fail {
  const where = `${zip.file}: entry "${entry.name}"`;
  if (entry.flags & 0x1) return { ok: false, message: `${where} is encrypted, which is not supported` };
  if (entry.method !== 0 && entry.method !== 8) return { ok: false, message: `${where} uses compression method ${entry.method}; only stored (0) and deflated (8) are read` };
  if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) return { ok: false, message: `${where}: stored entry with different compressed and uncompressed sizes` };
  if (entry.method === 8 && entry.uncompressedSize > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    return { ok: false, message: `${where} claims ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed bytes, more than deflate can produce; the archive is corrupt` };
  }
  const local = readAt(zip.fd, entry.localHeaderOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIG) return { ok: false, message: `${where}: missing local file header` };
  const offset = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (offset + entry.compressedSize > zip.size) return { ok: false, message: `${where}: data runs past the end of the file` };
  return { ok: true, offset };
}

/**
 * The entry's uncompressed bytes as a ByteSource of size `uncompressedSize`, checked against
 * the CRC once fully read. Stored entries are read from the file on demand (straight into the
 * caller's arrays); deflated entries are inflated in full on the first read past `headBytes`,
 * while reads within the first `headBytes` only inflate a prefix - enough to check a .npy
 * header before committing to the allocation.
 */
export function entrySource(zip: ZipArchive, entry: ZipEntry): { ok: true; source: ByteSource; verify: () => string | undefined } | Fail {
  const located = dataOffset(zip, entry);
  if (!located.ok) return located;
  const where = `${zip.file}: entry "${entry.name}"`;
  const start = located.offset;
  const size = entry.uncompressedSize;
  // CRC over the bytes handed out, in order: the .npy reader reads front to back.
  let crc = 0;
  let crcUpTo = 0;
  const track = (bytes: Uint8Array, position: number): void => {
    if (position > crcUpTo || position + bytes.length <= crcUpTo) return;
    crc = crc32(bytes.subarray(crcUpTo - position), crc);
    crcUpTo = position + bytes.length;
  };
  const verify = (): string | undefined => {
    if (crcUpTo !== size) return undefined; // not all read: nothing to check yet
    return crc === entry.crc32 ? undefined : `${where}: CRC mismatch, the archive is corrupt`;
  };

  if (entry.method === 0) {
    return {
      ok: true,
      verify,
      source: {
        size,
        read(dest, position) {
          const length = Math.max(0, Math.min(dest.length, size - position));
          let done = 0;
          while (done < length) {
            const n = fs.readSync(zip.fd, dest, done, length - done, start + position + done);
            if (n === 0) break;
            done += n;
          }
          track(dest.subarray(0, done), position);
          return done;
        },
      },
    };
  }

  let full: Buffer | undefined;
  let prefix = Buffer.alloc(0);
  let prefixInput = 0;
  const compressed = (length: number): Buffer => readAt(zip.fd, start, Math.min(length, entry.compressedSize));
  return {
    ok: true,
    verify,
    source: {
      size,
      read(dest, position) {
        const want = Math.min(position + dest.length, size);
        if (full === undefined && want > prefix.length) {
          // Inflate a growing prefix of the input until it covers the bytes asked for; a prefix
          // of 2^k input bytes yields at most ~1032 * 2^k output bytes, so the prefix stays
          // small (128 KiB of input covers any .npy header numpy writes).
          while (prefix.length < want && prefixInput < entry.compressedSize && prefixInput < MAX_PREFIX_INPUT) {
            prefixInput = Math.max(1024, prefixInput * 2);
            prefix = zlib.inflateRawSync(compressed(prefixInput), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
          }
          if (prefixInput >= entry.compressedSize) {
            full = prefix; // the whole stream was inflated already
            if (full.length !== size) throw new Error(`${where}: inflated to ${full.length} bytes, the directory says ${size}`);
          } else if (prefix.length < want) {
            full = zlib.inflateRawSync(compressed(entry.compressedSize), { maxOutputLength: Math.max(1, size) });
            if (full.length !== size) throw new Error(`${where}: inflated to ${full.length} bytes, the directory says ${size}`);
          }
        }
        const from = full ?? prefix;
        const chunk = from.subarray(position, want);
        dest.set(chunk);
        track(chunk, position);
        return chunk.length;
      },
    },
  };
}
