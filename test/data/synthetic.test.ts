import { strict as assert } from 'assert';
import { blobs, circles, moons, spirals, xor } from '../../src/engine/data/synthetic';
import type { Dataset } from '../../src/engine/data/types';

function counts(d: Dataset): number[] {
  const c = new Array(d.numClasses).fill(0);
  for (const v of d.y as Int32Array) c[v]++;
  return c;
}

const generators = { spirals, moons, circles, xor, blobs };

describe('data/synthetic', () => {
  for (const [name, gen] of Object.entries(generators)) {
    it(`${name}: deterministic per seed, balanced, finite 2-D points`, () => {
      const a = gen({ samples: 301, noise: 0.1, seed: 4 });
      const b = gen({ samples: 301, noise: 0.1, seed: 4 });
      const c = gen({ samples: 301, noise: 0.1, seed: 5 });
      assert.deepEqual(a.x, b.x);
      assert.deepEqual(a.y, b.y);
      assert.notDeepEqual(a.x, c.x);
      assert.equal(a.count, 301);
      assert.deepEqual(a.sampleShape, [2]);
      assert.deepEqual(a.labelShape, []);
      assert.equal(a.x.length, 602);
      assert.equal(a.classNames!.length, a.numClasses);
      const cs = counts(a);
      assert.ok(Math.max(...cs) - Math.min(...cs) <= 1, `class counts ${cs}`);
      for (const v of a.x as Float32Array) assert.ok(Number.isFinite(v) && Math.abs(v) < 3);
    });
  }

  it('spirals and blobs take a class count', () => {
    assert.equal(spirals({ samples: 90, noise: 0, classes: 3, seed: 1 }).numClasses, 3);
    assert.deepEqual(counts(blobs({ samples: 100, noise: 0.1, classes: 5, seed: 1 })), [20, 20, 20, 20, 20]);
  });

  it('noise-free points follow each set’s geometry', () => {
    const c = circles({ samples: 400, noise: 0, seed: 2 });
    const x = c.x as Float32Array;
    for (let i = 0; i < c.count; i++) {
      const r = Math.hypot(x[2 * i], x[2 * i + 1]);
      if (c.y[i] === 1) assert.ok(r <= 0.5 + 1e-6, `inner radius ${r}`);
      else assert.ok(r >= 0.7 - 1e-6 && r <= 1 + 1e-6, `outer radius ${r}`);
    }
    const q = xor({ samples: 400, noise: 0, seed: 2 });
    const qx = q.x as Float32Array;
    for (let i = 0; i < q.count; i++) assert.equal(qx[2 * i] * qx[2 * i + 1] > 0 ? 0 : 1, q.y[i]);
    const s = spirals({ samples: 200, noise: 0, seed: 2 });
    const sx = s.x as Float32Array;
    for (let i = 0; i < s.count; i++) assert.ok(Math.hypot(sx[2 * i], sx[2 * i + 1]) <= 1 + 1e-6);
  });

  it('more noise spreads blobs further from their centres', () => {
    const spread = (noise: number) => {
      const d = blobs({ samples: 600, noise, classes: 3, seed: 3 });
      const x = d.x as Float32Array;
      let s = 0;
      for (let i = 0; i < d.count; i++) {
        const angle = Math.PI / 2 + (2 * Math.PI * d.y[i]) / 3;
        s += Math.hypot(x[2 * i] - Math.cos(angle), x[2 * i + 1] - Math.sin(angle));
      }
      return s / d.count;
    };
    const low = spread(0.05);
    const high = spread(0.5);
    assert.ok(low < 0.1 && high > 0.4, `${low} ${high}`);
  });
});
