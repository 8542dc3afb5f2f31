import { strict as assert } from 'assert';
import { Rng } from '../../src/engine/data/rng';

describe('data/rng', () => {
  it('gives the same sequence for the same seed and different ones for nearby seeds', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(0), draw(1));
    assert.notDeepEqual(draw(1), draw(1 + 2 ** 32)); // high bits of the seed count
    assert.notDeepEqual(draw(-1), draw(2 ** 32 - 1));
  });

  it('matches the xoshiro128** reference output from state {1, 2, 3, 4}', () => {
    const r = new Rng(0);
    r.setState({ s: [1, 2, 3, 4], spareNormal: null });
    const out = Array.from({ length: 10 }, () => r.nextUint32());
    assert.deepEqual(out, [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it('derives independent named streams', () => {
    const a = Rng.derive(7, 'init').nextUint32();
    const b = Rng.derive(7, 'shuffle').nextUint32();
    assert.notEqual(a, b);
    assert.equal(Rng.derive(7, 'init').nextUint32(), a);
  });

  it('next() is uniform in [0, 1)', () => {
    const r = new Rng(3);
    const bins = new Array(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      assert.ok(u >= 0 && u < 1);
      bins[Math.floor(u * 10)]++;
    }
    for (const b of bins) assert.ok(Math.abs(b - n / 10) < 0.06 * (n / 10), `bin count ${b}`);
  });

  it('normal() has mean 0 and std 1', () => {
    const r = new Rng(5);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    const mean = s / n;
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(s2 / n - mean * mean) - 1) < 0.03);
    assert.ok(Math.abs(new Rng(5).normal(10, 0.001) - 10) < 0.01);
  });

  it('int(n) covers 0..n-1 evenly and rejects bad n', () => {
    const r = new Rng(9);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 14000; i++) counts[r.int(7)]++;
    for (const c of counts) assert.ok(Math.abs(c - 2000) < 150, `count ${c}`);
    assert.throws(() => r.int(0), RangeError);
    assert.throws(() => r.int(1.5), RangeError);
    assert.throws(() => new Rng(0.5), RangeError);
  });

  it('shuffle and permutation give permutations, deterministically', () => {
    const p = new Rng(11).permutation(100);
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(new Rng(11).permutation(100), p);
    assert.notDeepEqual([...p], Array.from({ length: 100 }, (_, i) => i));
    const arr = ['a', 'b', 'c', 'd'];
    assert.equal(new Rng(1).shuffle(arr), arr);
    assert.deepEqual([...arr].sort(), ['a', 'b', 'c', 'd']);
  });

  it('state round-trips, including a pending normal', () => {
    const r = new Rng(13);
    r.normal(); // leaves a spare normal cached
    const state = r.getState();
    const after = [r.normal(), r.nextUint32(), r.next()];
    const s = new Rng(0);
    s.setState(state);
    assert.deepEqual([s.normal(), s.nextUint32(), s.next()], after);
    assert.throws(() => s.setState({ s: [0, 0, 0, 0], spareNormal: null }), RangeError);
  });

  it('fork gives a different, reproducible stream', () => {
    const a = new Rng(17).fork();
    const b = new Rng(17).fork();
    assert.equal(a.nextUint32(), b.nextUint32());
    assert.notEqual(new Rng(17).fork().nextUint32(), new Rng(17).nextUint32());
  });
});
