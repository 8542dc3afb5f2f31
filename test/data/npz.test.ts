import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeNpy } from '../../src/engine/data/npy';
import { readNpz } from '../../src/engine/data/npz';
import { Rng } from '../../src/engine/data/rng';
import { crc32 } from '../../src/engine/data/zip';
import { buildZip, type ZipInput } from './zipBuilder';

const FIXTURES = path.join(__dirname, 'fixtures');
const X = Array.from({ length: 12 }, (_, i) => i / 4);
const Y = [0n, 2n, 1n, 2n];

function npy(data: ArrayLike<number> | BigInt64Array, shape: number[], dtype: 'float32' | 'int64'): Buffer {
  const r = encodeNpy(data, shape, dtype);
  assert.ok(r.ok);
  return r.bytes;
}

describe('data/npz', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-npz-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, entries: ZipInput[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, buildZip(entries));
    return file;
  };
  const xBytes = npy(X, [4, 3], 'float32');
  const yBytes = npy(new BigInt64Array(Y), [4], 'int64');

  it('computes the standard CRC-32 check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('56789'), crc32(Buffer.from('1234'))), 0xcbf43926);
  });

  for (const method of [0, 8] as const) {
    it(`reads ${method === 0 ? 'stored' : 'deflated'} entries from a zip built here`, () => {
      const file = write(`m${method}.npz`, [
        { name: 'x.npy', data: xBytes, method },
        { name: 'y.npy', data: yBytes, method },
      ]);
      const r = readNpz(file, ['x', 'y']);
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.deepEqual(r.arrays.x.shape, [4, 3]);
      assert.deepEqual(Array.from(r.arrays.x.data as Float32Array), X);
      assert.deepEqual(Array.from(r.arrays.y.data as BigInt64Array), Y);
    });
  }

  it('reads a larger deflated entry (header from a prefix, then the whole stream)', () => {
    const rng = new Rng(1);
    const values = Array.from({ length: 50000 }, () => rng.normal());
    const file = write('large.npz', [{ name: 'x.npy', data: npy(values, [10000, 5], 'float32'), method: 8 }]);
    const r = readNpz(file, ['x']);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.arrays.x.shape, [10000, 5]);
    assert.deepEqual(Array.from(r.arrays.x.data as Float32Array), values.map(Math.fround));
  });

  it('reads np.savez (stored, zip64 local headers) and np.savez_compressed archives', () => {
    const stored = readNpz(path.join(FIXTURES, 'stored.npz'), ['x', 'y']);
    assert.ok(stored.ok, stored.ok ? '' : stored.message);
    assert.deepEqual(Array.from(stored.arrays.x.data as Float32Array), X);
    const deflated = readNpz(path.join(FIXTURES, 'deflated.npz'), ['features', 'labels']);
    assert.ok(deflated.ok, deflated.ok ? '' : deflated.message);
    assert.deepEqual(Array.from(deflated.arrays.features.data as Float32Array), X);
    assert.deepEqual(Array.from(deflated.arrays.labels.data as BigInt64Array), Y);
  });

  it('names the available arrays when a key is missing', () => {
    const r = readNpz(path.join(FIXTURES, 'deflated.npz'), ['x']);
    assert.ok(!r.ok);
    assert.match(r.message, /no array named "x" \(the archive holds: features, labels\)/);
  });

  it('refuses corrupt archives with a message', () => {
    const badCrc = write('crc.npz', [{ name: 'x.npy', data: xBytes, method: 8, crc: 1234 }]);
    const crc = readNpz(badCrc, ['x']);
    assert.ok(!crc.ok && /CRC mismatch/.test(crc.message), crc.ok ? '' : crc.message);

    const bomb = write('bomb.npz', [{ name: 'x.npy', data: xBytes, method: 8, uncompressedSize: 0xfffffff0 }]);
    const b = readNpz(bomb, ['x']);
    assert.ok(!b.ok && /more than deflate can produce/.test(b.message), b.ok ? '' : b.message);

    const lying = write('lying.npz', [{ name: 'x.npy', data: xBytes, method: 0, uncompressedSize: xBytes.length - 8 }]);
    const l = readNpz(lying, ['x']);
    assert.ok(!l.ok && /stored entry with different/.test(l.message), l.ok ? '' : l.message);

    const whole = buildZip([{ name: 'x.npy', data: xBytes, method: 0 }]);
    const cut = path.join(dir, 'cut.npz');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const c = readNpz(cut, ['x']);
    assert.ok(!c.ok && /not a valid zip/.test(c.message), c.ok ? '' : c.message);

    const notZip = path.join(dir, 'plain.npz');
    fs.writeFileSync(notZip, xBytes);
    assert.ok(!readNpz(notZip, ['x']).ok);
  });

  it('checks the array header against the entry size before inflating the data', () => {
    // An entry whose .npy header declares far more data than the entry holds.
    const header = npy([0], [1], 'float32');
    const lie = Buffer.from(header.toString('latin1').replace("'shape': (1,), ", "'shape': (99999,),"), 'latin1');
    const file = write('short.npz', [{ name: 'x.npy', data: lie, method: 8 }]);
    const r = readNpz(file, ['x']);
    assert.ok(!r.ok);
    assert.match(r.message, /array "x": truncated or corrupt: the header declares shape \(99999\)/);
  });

  it('refuses pickled object arrays inside an archive', () => {
    const objectNpy = fs.readFileSync(path.join(FIXTURES, 'object.npy'));
    const file = write('obj.npz', [{ name: 'x.npy', data: objectNpy, method: 8 }]);
    const r = readNpz(file, ['x']);
    assert.ok(!r.ok && /pickle/.test(r.message));
  });
});
