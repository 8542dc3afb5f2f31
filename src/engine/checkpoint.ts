// Checkpoint files: a JSON header and raw little-endian float32 tensors. Loading parses JSON and
// copies bytes, nothing else, so a checkpoint from anywhere is safe to open. Every offset and
// length in the header is checked against the file size and a SHA-256 of the tensor bytes before
// any tensor is read.
//
// Layout: 8-byte magic `LWCKPT\r\n` | u32 LE header length | header JSON (UTF-8) | zero padding
// to a multiple of 8 | tensor data (each tensor at its header offset, relative to the data start).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { writeFileAtomic } from './atomic-write';
import { EngineError } from './errors';

export const CHECKPOINT_FORMAT = 1;
const MAGIC = Buffer.from('LWCKPT\r\n', 'latin1');
const PREFIX = MAGIC.length + 4;
/** Headers beyond this size are refused rather than parsed. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

export type TensorGroup = 'param' | 'state';

export interface TensorEntry {
  name: string;
  group: TensorGroup;
  shape: number[];
  /** Byte offset from the start of the data section. */
  offset: number;
  /** Number of float32 elements. */
  length: number;
}

/** Everything needed to continue a run exactly where it was saved. */
export interface TrainingProgress {
  /** Optimizer updates done so far. */
  step: number;
  /** Epochs fully completed. */
  epoch: number;
  /** Micro-batches of the next epoch already done (0 at an epoch boundary). */
  batchInEpoch: number;
  /** Partial sums of the epoch in progress (when `batchInEpoch` > 0). */
  epochSums?: { loss: number; samples: number; metrics: Record<string, number> };
  /** Early-stopping bookkeeping. */
  monitorBest?: number;
  monitorBestEpoch?: number;
  epochsWithoutImprovement: number;
  /** Best epoch's numbers so far. */
  best?: Record<string, unknown>;
}

export interface CheckpointHeader {
  format: number;
  kind: 'best' | 'last';
  model: string;
  /** SHA-256 (hex) of the model file text the run was started from. */
  modelHash: string;
  createdAt: string;
  /** Run seed; with `rng.scheme` it determines the split, every epoch's shuffle and every dropout mask. */
  seed: number;
  rng: { scheme: string };
  progress: TrainingProgress;
  /** The resolved training configuration (JSON). */
  config: unknown;
  tensors: TensorEntry[];
  dataBytes: number;
  dataSha256: string;
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Map<string, Float32Array>;
}

export type CheckpointContent = Omit<CheckpointHeader, 'format' | 'tensors' | 'dataBytes' | 'dataSha256' | 'createdAt'>;

const littleEndian = os.endianness() === 'LE';

function toLittleEndianBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (littleEndian) return bytes;
  const out = new Uint8Array(bytes.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function fromLittleEndianBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  if (littleEndian) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The encoded file, as chunks (header, then one chunk per tensor). */
export function encodeCheckpoint(
  content: CheckpointContent,
  tensors: { name: string; group: TensorGroup; shape: number[]; data: Float32Array }[],
): Uint8Array[] {
  const entries: TensorEntry[] = [];
  const data: Uint8Array[] = [];
  const hash = crypto.createHash('sha256');
  let offset = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new EngineError('internal', `tensor '${t.name}' has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    const bytes = toLittleEndianBytes(t.data);
    entries.push({ name: t.name, group: t.group, shape: [...t.shape], offset, length: t.data.length });
    data.push(bytes);
    hash.update(bytes);
    offset += bytes.byteLength;
  }
  const header: CheckpointHeader = {
    format: CHECKPOINT_FORMAT,
    ...content,
    createdAt: new Date().toISOString(),
    tensors: entries,
    dataBytes: offset,
    dataSha256: hash.digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, MAGIC.length);
  const pad = Buffer.alloc((8 - ((PREFIX + json.length) % 8)) % 8);
  return [prefix, json, pad, ...data];
}

export function writeCheckpoint(
  file: string,
  content: CheckpointContent,
  tensors: { name: string; group: TensorGroup; shape: number[]; data: Float32Array }[],
): void {
  try {
    writeFileAtomic(file, encodeCheckpoint(content, tensors));
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('io_failed', `could not write checkpoint ${file}: ${(err as Error).message}`, { file });
  }
}

function invalid(file: string, what: string): EngineError {
  return new EngineError('checkpoint_invalid', `${file} is not a usable checkpoint: ${what}. Pick another checkpoint (best.ckpt or last.ckpt of the run) or train again.`, { file });
}

export function readCheckpoint(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new EngineError('checkpoint_invalid', `cannot read checkpoint ${file}: ${why}`, { file });
  }
  return decodeCheckpoint(bytes, file);
}

/** Parses and validates checkpoint bytes; `file` is only used in messages. */
export function decodeCheckpoint(bytes: Uint8Array, file = 'checkpoint'): Checkpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PREFIX) throw invalid(file, `it is only ${buf.length} bytes long (truncated?)`);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid(file, 'it does not start with the Layerwise checkpoint signature');
  const headerBytes = buf.readUInt32LE(MAGIC.length);
  if (headerBytes > MAX_HEADER_BYTES) throw invalid(file, `its header claims ${headerBytes} bytes, more than the ${MAX_HEADER_BYTES} allowed`);
  if (PREFIX + headerBytes > buf.length) throw invalid(file, `the file is truncated: the header needs ${PREFIX + headerBytes} bytes, the file has ${buf.length}`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(PREFIX, PREFIX + headerBytes).toString('utf8')) as CheckpointHeader;
  } catch (err) {
    throw invalid(file, `its header is not valid JSON (${(err as Error).message})`);
  }
  checkHeaderShape(header, file);
  const dataStart = PREFIX + headerBytes + ((8 - ((PREFIX + headerBytes) % 8)) % 8);
  if (dataStart + header.dataBytes !== buf.length) {
    const found = buf.length - dataStart;
    throw invalid(file, found < header.dataBytes ? `the file is truncated: ${header.dataBytes} bytes of tensor data expected, ${Math.max(0, found)} present` : `${found - header.dataBytes} unexpected bytes follow the tensor data`);
  }
  const seen = new Set<string>();
  for (const t of header.tensors) {
    if (seen.has(t.name)) throw invalid(file, `tensor '${t.name}' appears twice`);
    seen.add(t.name);
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements !== t.length) throw invalid(file, `tensor '${t.name}' has shape [${t.shape.join(', ')}] but ${t.length} values`);
    if (t.offset % 4 !== 0 || t.offset + t.length * 4 > header.dataBytes) throw invalid(file, `tensor '${t.name}' lies outside the data section`);
  }
  const data = buf.subarray(dataStart, dataStart + header.dataBytes);
  const digest = crypto.createHash('sha256').update(data).digest('hex');
  if (digest !== header.dataSha256) throw invalid(file, 'its tensor data does not match the checksum in its header (the file is corrupt)');
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) tensors.set(t.name, fromLittleEndianBytes(data.subarray(t.offset, t.offset + t.length * 4)));
  return { header, tensors };
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function checkHeaderShape(h: CheckpointHeader, file: string): void {
  if (!h || typeof h !== 'object') throw invalid(file, 'its header is not an object');
  if (h.format !== CHECKPOINT_FORMAT) throw invalid(file, `it has format version ${String(h.format)}; this version of Layerwise reads version ${CHECKPOINT_FORMAT}`);
  if (typeof h.model !== 'string' || typeof h.modelHash !== 'string') throw invalid(file, 'its header lacks the model name or hash');
  if (!isNonNegInt(h.seed)) throw invalid(file, 'its header lacks the run seed');
  const p = h.progress;
  if (!p || !isNonNegInt(p.step) || !isNonNegInt(p.epoch) || !isNonNegInt(p.batchInEpoch) || !isNonNegInt(p.epochsWithoutImprovement)) {
    throw invalid(file, 'its header lacks the training progress (step, epoch)');
  }
  if (!isNonNegInt(h.dataBytes) || typeof h.dataSha256 !== 'string') throw invalid(file, 'its header lacks the data size or checksum');
  if (!Array.isArray(h.tensors)) throw invalid(file, 'its header lacks the tensor table');
  for (const t of h.tensors) {
    const ok =
      t &&
      typeof t.name === 'string' &&
      (t.group === 'param' || t.group === 'state') &&
      Array.isArray(t.shape) &&
      t.shape.every(isNonNegInt) &&
      isNonNegInt(t.offset) &&
      isNonNegInt(t.length);
    if (!ok) throw invalid(file, `its tensor table has a malformed entry (${JSON.stringify(t).slice(0, 80)})`);
  }
}

/** SHA-256 hex of a model file's text, recorded in checkpoints to notice edits. */
export function modelHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
