import { strict as assert } from 'assert';
import { BatchIterator, oneHot } from '../../src/engine/data/batches';
import { splitIndices, subset } from '../../src/engine/data/split';
import type { Dataset } from '../../src/engine/data/types';

/** 10 samples, features [2] = (i, -i), class i mod 3, masks [1, 2] = (i, i+1) mod 2. */
function toy(): Dataset {
  const n = 10;
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  const masks = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
    y[i] = i % 3;
    masks[2 * i] = i % 2;
    masks[2 * i + 1] = (i + 1) % 2;
  }
  return { name: 'toy', x, sampleShape: [2], y, labelShape: [], numClasses: 3, masks, count: n };
}

describe('data/split', () => {
  it('splits by fraction into disjoint parts covering every sample, deterministically', () => {
    const r = splitIndices(100, { validation: 0.2, test: 0.1 }, 5);
    assert.ok(r.ok);
    const { train, validation, test } = r.split;
    assert.deepEqual([train.length, validation.length, test.length], [70, 20, 10]);
    const all = [...train, ...validation, ...test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
    const again = splitIndices(100, { validation: 0.2, test: 0.1 }, 5);
    assert.ok(again.ok);
    assert.deepEqual(again.split, r.split);
    const other = splitIndices(100, { validation: 0.2, test: 0.1 }, 6);
    assert.ok(other.ok);
    assert.notDeepEqual(other.split.train, train);
    assert.notDeepEqual([...train], Array.from({ length: 70 }, (_, i) => i)); // shuffled
  });

  it('keeps file order without shuffling, and gives small fractions at least one sample', () => {
    const r = splitIndices(10, { validation: 0.01 }, 1, false);
    assert.ok(r.ok);
    assert.deepEqual(Array.from(r.split.train), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(r.split.validation), [9]);
    assert.equal(r.split.test.length, 0);
  });

  it('refuses bad fractions and splits that leave nothing to train on', () => {
    const m = (r: ReturnType<typeof splitIndices>) => (r.ok ? '' : r.message);
    assert.match(m(splitIndices(10, { validation: 1 }, 1)), /validation_split must be a fraction in \[0, 1\)/);
    assert.match(m(splitIndices(10, { test: -0.1 }, 1)), /test_split/);
    assert.match(m(splitIndices(10, { validation: 0.6, test: 0.5 }, 1)), /must be below 1/);
    assert.match(m(splitIndices(2, { validation: 0.3, test: 0.3 }, 1)), /too few/);
  });

  it('subset copies the chosen samples, labels and masks in order', () => {
    const d = subset(toy(), [7, 2]);
    assert.equal(d.count, 2);
    assert.deepEqual(Array.from(d.x as Float32Array), [7, -7, 2, -2]);
    assert.deepEqual(Array.from(d.y), [1, 2]);
    assert.deepEqual(Array.from(d.masks!), [1, 0, 0, 1]);
    assert.throws(() => subset(toy(), [10]), RangeError);
  });
});

describe('data/batches', () => {
  it('visits the order in batches, keeping the last partial batch by default', () => {
    const it = new BatchIterator(toy(), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], { batchSize: 4 });
    assert.equal(it.batchCount, 3);
    const sizes: number[] = [];
    const seen: number[] = [];
    for (let b = it.next(); b !== undefined; b = it.next()) {
      sizes.push(b.size);
      assert.equal(b.x.length, b.size * 2);
      assert.equal(b.y.length, b.size);
      for (let r = 0; r < b.size; r++) {
        const s: number = b.indices[r];
        seen.push(s);
        assert.equal(b.x[2 * r], s);
        assert.equal(b.x[2 * r + 1], -s);
        assert.equal(b.y[r], s % 3);
      }
    }
    assert.deepEqual(sizes, [4, 4, 2]);
    assert.deepEqual(seen, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('drops the partial batch on request and reuses its buffers across batches and epochs', () => {
    const it = new BatchIterator(toy(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { batchSize: 4, dropLast: true });
    assert.equal(it.batchCount, 2);
    const first = it.next()!;
    const xBuffer = first.x;
    const second = it.next()!;
    assert.equal(second, first); // same object, refilled
    assert.equal(second.x, xBuffer); // same typed array
    assert.equal(it.next(), undefined);
    it.reset([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const again = it.next()!;
    assert.equal(again.x, xBuffer);
    assert.deepEqual(Array.from(again.indices), [9, 8, 7, 6]);
  });

  it('gives the partial batch views of the same buffers', () => {
    const it = new BatchIterator(toy(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { batchSize: 4 });
    const full = it.next()!.x;
    it.next();
    const last = it.next()!;
    assert.equal(last.size, 2);
    assert.equal(last.x.buffer, full.buffer);
  });

  it('lays out labels as int64 or one-hot, and features as float64 on request', () => {
    const i64 = new BatchIterator(toy(), [4, 5], { batchSize: 2, labels: 'index64' }).next()!;
    assert.ok(i64.y instanceof BigInt64Array);
    assert.deepEqual(Array.from(i64.y as BigInt64Array), [1n, 2n]);
    const hot = new BatchIterator(toy(), [4, 5, 6], { batchSize: 3, labels: 'onehot', floatType: 'float64' }).next()!;
    assert.ok(hot.y instanceof Float64Array && hot.x instanceof Float64Array);
    assert.deepEqual(Array.from(hot.y), [0, 1, 0, 0, 0, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(hot.x), [4, -4, 5, -5, 6, -6]);
    const reg: Dataset = { name: 'r', x: new Float32Array([1, 2]), sampleShape: [1], y: new Float32Array([0.5, 1, 1.5, 2]), labelShape: [2], count: 2 };
    const rb = new BatchIterator(reg, [1, 0], { batchSize: 2 }).next()!;
    assert.deepEqual(Array.from(rb.y as Float32Array), [1.5, 2, 0.5, 1]);
    assert.throws(() => new BatchIterator(reg, [0], { batchSize: 1, labels: 'onehot' }), RangeError);
    assert.throws(() => new BatchIterator(toy(), [0], { batchSize: 0 }), RangeError);
  });

  it('copies int64 token ids unchanged', () => {
    const seq: Dataset = { name: 's', x: new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]), sampleShape: [3], y: new Int32Array([0, 1]), labelShape: [], numClasses: 2, count: 2 };
    const b = new BatchIterator(seq, [1, 0], { batchSize: 2 }).next()!;
    assert.deepEqual(Array.from(b.x as BigInt64Array), [4n, 5n, 6n, 1n, 2n, 3n]);
  });

  it('oneHot fills a given buffer and checks labels', () => {
    const out = new Float32Array(6).fill(9);
    assert.equal(oneHot([2, 0], 3, out), out);
    assert.deepEqual(Array.from(out), [0, 0, 1, 1, 0, 0]);
    assert.throws(() => oneHot([3], 3), RangeError);
    assert.throws(() => oneHot([0], 3, new Float32Array(2)), RangeError);
  });
});
