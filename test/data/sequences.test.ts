import { strict as assert } from 'assert';
import { copyFirstTask, majorityTask, parityTask, sortedTask } from '../../src/engine/data/sequences';
import type { Dataset } from '../../src/engine/data/types';

function rows(d: Dataset): number[][] {
  const t = d.sampleShape[0];
  const x = d.x as BigInt64Array;
  return Array.from({ length: d.count }, (_, i) => Array.from(x.subarray(i * t, (i + 1) * t), Number));
}

function classCounts(d: Dataset): number[] {
  const c = new Array(d.numClasses).fill(0);
  for (const v of d.y as Int32Array) c[v]++;
  return c;
}

const tasks = { sorted: sortedTask, parity: parityTask, majority: majorityTask, copy_first: copyFirstTask };

describe('data/sequences', () => {
  for (const [name, task] of Object.entries(tasks)) {
    it(`${name}: int64 tokens [T] in the vocabulary, deterministic, balanced`, () => {
      const params = { samples: 240, length: 7, vocab: 5, seed: 3 };
      const d = task(params);
      assert.ok(d.x instanceof BigInt64Array);
      assert.deepEqual(d.sampleShape, [7]);
      assert.equal(d.x.length, 240 * 7);
      assert.deepEqual(task(params).x, d.x);
      assert.notDeepEqual(task({ ...params, seed: 4 }).x, d.x);
      for (const row of rows(d)) for (const v of row) assert.ok(v >= 0 && v < d.vocabSize!);
      const c = classCounts(d);
      assert.ok(Math.max(...c) - Math.min(...c) <= 1, `class counts ${c}`);
      assert.equal(d.classNames!.length, d.numClasses);
    });
  }

  it('sorted: the label says whether the sequence is non-decreasing; some negatives are one swap away', () => {
    const d = sortedTask({ samples: 400, length: 6, vocab: 10, seed: 1 });
    let nearly = 0;
    rows(d).forEach((r, i) => {
      const sorted = r.every((v, j) => j === 0 || r[j - 1] <= v);
      assert.equal(d.y[i], sorted ? 1 : 0);
      if (!sorted && r.filter((v, j) => j > 0 && r[j - 1] > v).length === 1) nearly++;
    });
    assert.ok(nearly >= 100, `${nearly} nearly-sorted negatives`);
  });

  it('parity: the label is the XOR of the marked bits', () => {
    const d = parityTask({ samples: 300, length: 9, vocab: 0, seed: 2 });
    assert.equal(d.vocabSize, 4);
    rows(d).forEach((r, i) => {
      const parity = r.filter((v) => v >= 2).reduce((p, v) => p ^ (v & 1), 0);
      assert.equal(d.y[i], parity);
    });
  });

  it('majority: the label is the strictly most frequent token', () => {
    const d = majorityTask({ samples: 300, length: 8, vocab: 3, seed: 5 });
    rows(d).forEach((r, i) => {
      const c = [0, 0, 0];
      for (const v of r) c[v]++;
      const label = d.y[i];
      for (let k = 0; k < 3; k++) if (k !== label) assert.ok(c[label] > c[k], `row ${r} label ${label}`);
    });
  });

  it('copy_first: the label is the first token', () => {
    const d = copyFirstTask({ samples: 100, length: 12, vocab: 6, seed: 8 });
    rows(d).forEach((r, i) => assert.equal(d.y[i], r[0]));
  });
});
