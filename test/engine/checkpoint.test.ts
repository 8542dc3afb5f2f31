import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint, type CheckpointContent } from '../../src/engine/checkpoint';
import { EngineError } from '../../src/engine/errors';

const content: CheckpointContent = {
  kind: 'last',
  model: 'tiny',
  modelHash: 'abc',
  seed: 7,
  rng: { scheme: 'test' },
  progress: { step: 12, epoch: 3, batchInEpoch: 0, epochsWithoutImprovement: 1, monitorBest: 0.5, monitorBestEpoch: 2 },
  config: { any: 'thing' },
};

const tensors = [
  { name: 'dense.weight', group: 'param' as const, shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, Math.PI]) },
  { name: 'dense.bias', group: 'param' as const, shape: [3], data: Float32Array.from([0.25, 0, -0]) },
  { name: 'opt.dense.weight.m', group: 'state' as const, shape: [2, 3], data: new Float32Array(6).fill(1e-30) },
];

function bytes(): Buffer {
  return Buffer.concat(encodeCheckpoint(content, tensors));
}

function refuses(data: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => decodeCheckpoint(data, 'x.ckpt'),
    (e: unknown) => e instanceof EngineError && e.code === 'checkpoint_invalid' && pattern.test(e.message),
  );
}

describe('engine/checkpoint', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-ckpt-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips header and tensors bit for bit', () => {
    const file = path.join(dir, 'a.ckpt');
    writeCheckpoint(file, content, tensors);
    const ck = readCheckpoint(file);
    assert.strictEqual(ck.header.model, 'tiny');
    assert.deepStrictEqual(ck.header.progress, content.progress);
    for (const t of tensors) {
      const got = ck.tensors.get(t.name)!;
      assert.deepStrictEqual(new Uint8Array(got.buffer), new Uint8Array(t.data.buffer.slice(0)));
    }
    assert.deepStrictEqual(ck.header.tensors.map((t) => t.group), ['param', 'param', 'state']);
  });

  it('writes atomically: no temporary file is left and an existing file is replaced whole', () => {
    const file = path.join(dir, 'last.ckpt');
    writeCheckpoint(file, content, tensors);
    writeCheckpoint(file, { ...content, progress: { ...content.progress, step: 99 } }, tensors);
    assert.deepStrictEqual(fs.readdirSync(dir), ['last.ckpt']);
    assert.strictEqual(readCheckpoint(file).header.progress.step, 99);
  });

  it('a failed write leaves the previous checkpoint intact', () => {
    const file = path.join(dir, 'last.ckpt');
    writeCheckpoint(file, content, tensors);
    const bad = [{ name: 'w', group: 'param' as const, shape: [4], data: new Float32Array(3) }];
    assert.throws(() => writeCheckpoint(file, content, bad), /3 values but shape \[4\]/);
    assert.strictEqual(readCheckpoint(file).header.progress.step, 12);
    assert.deepStrictEqual(fs.readdirSync(dir), ['last.ckpt']);
  });

  it('refuses truncated files at every length', () => {
    const b = bytes();
    for (const cut of [0, 5, 11, 40, b.length - 100, b.length - 1]) refuses(b.subarray(0, cut), /truncated|only \d+ bytes|signature/);
  });

  it('refuses extra bytes, bad magic, corrupted data and a lying header', () => {
    const b = bytes();
    refuses(Buffer.concat([b, Buffer.from([0])]), /unexpected bytes/);
    const magic = Buffer.from(b);
    magic[0] ^= 0xff;
    refuses(magic, /signature/);
    const flipped = Buffer.from(b);
    flipped[b.length - 3] ^= 0x01;
    refuses(flipped, /checksum/);
    // A header whose tensor claims more data than there is.
    const headerLen = b.readUInt32LE(8);
    const header = JSON.parse(b.subarray(12, 12 + headerLen).toString('utf8'));
    header.tensors[0].length = 600;
    header.tensors[0].shape = [20, 30];
    const json = Buffer.from(JSON.stringify(header));
    const prefix = Buffer.alloc(12);
    b.copy(prefix, 0, 0, 8);
    prefix.writeUInt32LE(json.length, 8);
    const pad = Buffer.alloc((8 - ((12 + json.length) % 8)) % 8);
    const dataStart = 12 + headerLen + ((8 - ((12 + headerLen) % 8)) % 8);
    refuses(Buffer.concat([prefix, json, pad, b.subarray(dataStart)]), /outside the data section/);
  });

  it('refuses a header that is not JSON or claims a huge size', () => {
    const b = Buffer.from(bytes());
    b.writeUInt32LE(0xffffffff, 8);
    refuses(b, /more than/);
    const c = Buffer.from(bytes());
    c[12] = 0x7b + 1; // the opening brace
    refuses(c, /not valid JSON/);
  });

  it('says when the file is missing', () => {
    assert.throws(() => readCheckpoint(path.join(dir, 'nope.ckpt')), /does not exist/);
  });
});
