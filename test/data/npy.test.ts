import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy, encodeNpy, readNpy, writeNpy, type NpyWriteDtype } from '../../src/engine/data/npy';

const FIXTURES = path.join(__dirname, 'fixtures');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, { descr: string; shape: number[]; values: (number | string)[] }>;

/** Builds a .npy image by hand with the given header dict (padded as numpy does). */
function handMade(dict: string, body: Uint8Array = new Uint8Array(0), version = 1): Buffer {
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const text = dict.padEnd(total - pre - 1, ' ') + '\n';
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(text.length, 8);
  else head.writeUInt32LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), body]);
}

function message(r: ReturnType<typeof readNpy>): string {
  assert.ok(!r.ok, 'expected an error');
  return r.message;
}

describe('data/npy', () => {
  describe('reads files written by numpy', () => {
    for (const [file, want] of Object.entries(expected).filter(([f]) => f.endsWith('.npy'))) {
      it(file, () => {
        const r = readNpy(path.join(FIXTURES, file));
        assert.ok(r.ok, r.ok ? '' : r.message);
        assert.deepEqual(r.array.shape, want.shape);
        const got = Array.from(r.array.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
        const isInt = want.values.some((v) => typeof v === 'string');
        if (isInt) assert.deepEqual(got.map(String), want.values);
        else want.values.forEach((v, i) => assert.equal(got[i], r.array.data instanceof Float64Array ? v : Math.fround(v as number), `element ${i}`));
        assert.equal(got.length, want.values.length);
      });
    }
  });

  it('normalises dtypes: big-endian, float16 as float32, bool as 0/1', () => {
    const big = readNpy(path.join(FIXTURES, 'f4_big_endian.npy'));
    assert.ok(big.ok && big.array.descr === '>f4' && big.array.data instanceof Float32Array);
    const half = readNpy(path.join(FIXTURES, 'f2.npy'));
    assert.ok(half.ok && half.array.descr === '<f2' && half.array.data instanceof Float32Array);
    const bool = readNpy(path.join(FIXTURES, 'b1.npy'));
    assert.ok(bool.ok && bool.array.kind === 'bool' && bool.array.data instanceof Uint8Array);
    const i8 = readNpy(path.join(FIXTURES, 'i8_big_endian.npy'));
    assert.ok(i8.ok && i8.array.data instanceof BigInt64Array);
    assert.deepEqual(Array.from(i8.array.data as BigInt64Array), [1n, -2n, 300n]);
  });

  it('refuses Fortran order, pickled objects and unsupported dtypes with a message', () => {
    assert.match(message(readNpy(path.join(FIXTURES, 'fortran.npy'))), /Fortran \(column-major\) order.*np\.ascontiguousarray/);
    assert.match(message(readNpy(path.join(FIXTURES, 'object.npy'))), /Python objects \(dtype \|O\).*pickle.*allow_pickle/);
    assert.match(message(readNpy(path.join(FIXTURES, 'complex.npy'))), /unsupported dtype <c8/);
    assert.match(message(decodeNpy(handMade("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), 'rec.npy')), /structured/);
  });

  it('fails fast, before allocating, when the header declares more data than the file holds', () => {
    const start = Date.now();
    const huge = handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new Uint8Array(16));
    const m = message(decodeNpy(huge, 'huge.npy'));
    assert.match(m, /^huge\.npy: truncated or corrupt: the header declares shape \(1000000, 1000000\) of <f4 = 4000000000000 bytes of data, but only 16 bytes follow/);
    assert.ok(Date.now() - start < 200);
    // The same from disk, and for a file cut short by one byte.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-npy-'));
    try {
      fs.writeFileSync(path.join(dir, 'huge.npy'), huge);
      assert.match(message(readNpy(path.join(dir, 'huge.npy'))), /4000000000000 bytes/);
      const good = fs.readFileSync(path.join(FIXTURES, 'f8.npy'));
      fs.writeFileSync(path.join(dir, 'cut.npy'), good.subarray(0, good.length - 1));
      assert.match(message(readNpy(path.join(dir, 'cut.npy'))), /declares shape \(2, 3\) of <f8 = 48 bytes of data, but only 47 bytes follow/);
      fs.writeFileSync(path.join(dir, 'head.npy'), good.subarray(0, 40));
      assert.match(message(readNpy(path.join(dir, 'head.npy'))), /truncated: the header claims/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports malformed headers and non-npy files', () => {
    assert.match(message(decodeNpy(Buffer.from('PK\x03\x04 hello world'), 'z.npy')), /not a \.npy file/);
    assert.match(message(decodeNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }"), 'neg.npy')), /shape must be a tuple of non-negative integers/);
    assert.match(message(decodeNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os'), }"), 'evil.npy')), /malformed \.npy header/);
    assert.match(message(decodeNpy(handMade("{'descr': '<f4', 'shape': (1,), }"), 'nofo.npy')), /fortran_order must be True or False/);
    const v9 = handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new Uint8Array(4));
    v9[6] = 9;
    assert.match(message(decodeNpy(v9, 'v9.npy')), /unsupported \.npy format version 9\.0/);
  });

  it('reads a version 2 header written by hand', () => {
    const body = new Uint8Array(new Float32Array([1, 2]).buffer);
    const r = decodeNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", body, 2), 'v2.npy');
    assert.ok(r.ok);
    assert.deepEqual(Array.from(r.array.data as Float32Array), [1, 2]);
  });

  describe('writeNpy round trips', () => {
    const cases: [NpyWriteDtype, ArrayLike<number> | BigInt64Array, number[], string][] = [
      ['float32', [1.5, -2, 3.25, 0, 1e-7, -1e7], [2, 3], '<f4'],
      ['float64', [Math.PI, -Math.E, 1e-300, 5], [4], '<f8'],
      ['int32', [-2147483648, 2147483647, 0, 7], [2, 2], '<i4'],
      ['int64', new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n]), [3], '<i8'],
      ['int64', [1, -2, 3], [1, 3], '<i8'],
      ['float32', [42], [], '<f4'],
      ['float64', [], [0, 5], '<f8'],
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-npyw-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    cases.forEach(([dtype, data, shape, descr], i) => {
      it(`${dtype} ${JSON.stringify(shape)}`, () => {
        const file = path.join(dir, `${i}.npy`);
        assert.deepEqual(writeNpy(file, data, shape, dtype), { ok: true });
        const bytes = fs.readFileSync(file);
        const headerLength = bytes.readUInt16LE(8);
        assert.equal((10 + headerLength) % 64, 0, 'data aligned to 64 bytes');
        const r = readNpy(file);
        assert.ok(r.ok, r.ok ? '' : r.message);
        assert.equal(r.array.descr, descr);
        assert.deepEqual(r.array.shape, shape);
        const want = Array.from(data as ArrayLike<number | bigint>, (v) => (dtype === 'int64' ? BigInt(v) : dtype === 'float32' ? Math.fround(Number(v)) : Number(v)));
        assert.deepEqual(Array.from(r.array.data as ArrayLike<number | bigint>), want);
      });
    });

    it('refuses mismatched lengths, non-integers for int dtypes, and unwritable paths', () => {
      assert.match((encodeNpy([1, 2, 3], [2, 2], 'float32') as { message: string }).message, /holds 4 elements but 3 were given/);
      assert.match((encodeNpy([1.5], [1], 'int64') as { message: string }).message, /not an integer/);
      assert.match((encodeNpy([2 ** 31], [1], 'int32') as { message: string }).message, /not a 32-bit integer/);
      const r = writeNpy(path.join(dir, 'no', 'such', 'dir.npy'), [1], [1], 'float32');
      assert.ok(!r.ok && r.message.includes('dir.npy'));
    });
  });
});
