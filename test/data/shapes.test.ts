import { strict as assert } from 'assert';
import { shapes, SHAPE_SIZE } from '../../src/engine/data/shapes';

const AREA = SHAPE_SIZE * SHAPE_SIZE;

describe('data/shapes', () => {
  const d = shapes({ samples: 400, noise: 0.1, seed: 1 });
  const x = d.x as Float32Array;
  const masks = d.masks!;

  it('is deterministic per seed and shaped [1, 28, 28] with 4 balanced classes', () => {
    const again = shapes({ samples: 400, noise: 0.1, seed: 1 });
    assert.deepEqual(again.x, d.x);
    assert.deepEqual(again.masks, d.masks);
    assert.notDeepEqual(shapes({ samples: 400, noise: 0.1, seed: 2 }).x, d.x);
    assert.deepEqual(d.sampleShape, [1, 28, 28]);
    assert.equal(x.length, 400 * AREA);
    assert.equal(masks.length, 400 * AREA);
    assert.deepEqual(d.classNames, ['circle', 'square', 'triangle', 'cross']);
    const counts = [0, 0, 0, 0];
    for (const v of d.y as Int32Array) counts[v]++;
    assert.deepEqual(counts, [100, 100, 100, 100]);
  });

  it('keeps pixels in [0, 1]', () => {
    for (const v of x) assert.ok(v >= 0 && v <= 1);
  });

  it('has a non-empty mask inside the image for every sample (objects never touch the border)', () => {
    let covered = 0;
    for (let s = 0; s < d.count; s++) {
      const m = masks.subarray(s * AREA, (s + 1) * AREA);
      let count = 0;
      for (let i = 0; i < SHAPE_SIZE; i++) {
        for (let j = 0; j < SHAPE_SIZE; j++) {
          const v = m[i * SHAPE_SIZE + j];
          assert.ok(v === 0 || v === 1);
          if (v && (i === 0 || j === 0 || i === SHAPE_SIZE - 1 || j === SHAPE_SIZE - 1)) assert.fail(`sample ${s}: mask touches the border at ${i},${j}`);
          count += v;
        }
      }
      assert.ok(count >= 30, `sample ${s}: only ${count} mask pixels`);
      covered += count;
    }
    const share = covered / (d.count * AREA);
    console.log(`      mask share of the image: ${(100 * share).toFixed(1)} %`);
    assert.ok(share > 0.08 && share < 0.4, `mask share ${share}`);
  });

  it('draws the object clearly brighter than its background', () => {
    for (let s = 0; s < d.count; s++) {
      let inSum = 0;
      let inN = 0;
      let outSum = 0;
      let outN = 0;
      for (let p = 0; p < AREA; p++) {
        if (masks[s * AREA + p]) {
          inSum += x[s * AREA + p];
          inN++;
        } else {
          outSum += x[s * AREA + p];
          outN++;
        }
      }
      assert.ok(inSum / inN - outSum / outN > 0.2, `sample ${s}: contrast ${inSum / inN - outSum / outN}`);
    }
  });

  it('without noise, the background outside the object’s edge is flat', () => {
    const clean = shapes({ samples: 8, noise: 0, seed: 3 });
    const cx = clean.x as Float32Array;
    for (let s = 0; s < clean.count; s++) assert.equal(cx[s * AREA], cx[s * AREA + AREA - 1]); // two corners
  });

  it('is not trivial: a nearest-centroid classifier on raw pixels stays far from perfect', () => {
    const train = shapes({ samples: 800, noise: 0.1, seed: 10 });
    const test = shapes({ samples: 200, noise: 0.1, seed: 11 });
    const centroids = new Float64Array(4 * AREA);
    const tx = train.x as Float32Array;
    for (let s = 0; s < train.count; s++) for (let p = 0; p < AREA; p++) centroids[train.y[s] * AREA + p] += tx[s * AREA + p] / 200;
    let correct = 0;
    const ex = test.x as Float32Array;
    for (let s = 0; s < test.count; s++) {
      let best = -1;
      let bestD = Infinity;
      for (let c = 0; c < 4; c++) {
        let dist = 0;
        for (let p = 0; p < AREA; p++) dist += (ex[s * AREA + p] - centroids[c * AREA + p]) ** 2;
        if (dist < bestD) [best, bestD] = [c, dist];
      }
      if (best === test.y[s]) correct++;
    }
    const accuracy = correct / test.count;
    assert.ok(accuracy > 0.25 && accuracy < 0.6, `nearest-centroid accuracy ${accuracy}`);
  });
});
