import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { findDataDir, findPackageRoot } from '../../src/engine/data/dataDir';
import { loadDigits } from '../../src/engine/data/digits';

describe('data/digits', () => {
  it('loads 1,797 images [1, 8, 8] in [0, 1] with the known class counts', () => {
    const r = loadDigits();
    assert.ok(r.ok, r.ok ? '' : r.message);
    const d = r.dataset;
    assert.equal(d.count, 1797);
    assert.deepEqual(d.sampleShape, [1, 8, 8]);
    assert.equal(d.x.length, 1797 * 64);
    assert.equal(d.numClasses, 10);
    const counts = new Array(10).fill(0);
    for (const v of d.y as Int32Array) counts[v]++;
    assert.deepEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of d.x as Float32Array) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      assert.equal(Math.round(v * 16), v * 16); // counts 0..16 divided by 16
    }
    assert.equal(min, 0);
    assert.equal(max, 1);
  });

  it('hands out copies, so changing one result does not change the next', () => {
    const a = loadDigits();
    assert.ok(a.ok);
    (a.dataset.x as Float32Array)[0] = 42;
    const b = loadDigits();
    assert.ok(b.ok);
    assert.notEqual((b.dataset.x as Float32Array)[0], 42);
  });

  it('finds the package root by walking up from nested folders', () => {
    const root = findPackageRoot(__dirname);
    assert.ok(root !== undefined && fs.existsSync(path.join(root, 'data', 'digits.csv.gz')));
    assert.equal(findDataDir(path.join(root, 'src', 'engine', 'data')), path.join(root, 'data'));
    assert.equal(findPackageRoot(os.tmpdir()), undefined);
  });

  it('reports a missing or malformed file with its name and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-digits-'));
    try {
      const missing = loadDigits(dir);
      assert.ok(!missing.ok && missing.message.includes('digits.csv.gz'));
      fs.writeFileSync(path.join(dir, 'digits.csv.gz'), zlib.gzipSync(`${'0,'.repeat(64)}3\n${'0,'.repeat(63)}17,3\n`));
      const bad = loadDigits(dir);
      assert.ok(!bad.ok);
      assert.match(bad.message, /digits\.csv\.gz:2: column 64: "17"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
