// An image file as the model's input: compositing over white, grey levels, aspect-preserving
// fitting with area averaging, automatic inversion of light pictures, the data's value range.
import * as assert from 'assert';
import fc from 'fast-check';
import { borderMean, coverage, fitBox, imageToTensor, resample, type RgbaImage } from '../../../webview/explain/logic/imageTensor';

/** A w x h picture whose pixel (x, y) has the colour `at(x, y)` = [r, g, b, a]. */
function picture(w: number, h: number, at: (x: number, y: number) => number[]): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(at(x, y), 4 * (y * w + x));
  return { width: w, height: h, data };
}

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

describe('webview/explain image to tensor', () => {
  it('a dark square drawn on white becomes a bright square on black, in the model’s 28 x 28', () => {
    // 56 x 56, black square over x, y in [18, 38): 2 x 2 source pixels per model pixel.
    const img = picture(56, 56, (x, y) => (x >= 18 && x < 38 && y >= 18 && y < 38 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    const t = imageToTensor(img, [1, 28, 28]);
    assert.strictEqual(t.inverted, true);
    assert.strictEqual(t.values.length, 784);
    // Grey levels are exact up to rounding of the luma weights.
    const at = (x: number, y: number) => +t.values[y * 28 + x].toFixed(12);
    assert.strictEqual(at(0, 0), 0);
    assert.strictEqual(at(14, 14), 1);
    assert.strictEqual(at(9, 14), 1, 'x 18..19 is inside');
    assert.strictEqual(at(8, 14), 0, 'x 16..17 is outside');
    assert.strictEqual(t.values.filter((v) => Math.abs(v - 1) < 1e-12).length, 100);
    assert.strictEqual(t.values.filter((v) => Math.abs(v) < 1e-12).length, 784 - 100);
    // Not inverted when asked, and mapped onto a data range.
    const plain = imageToTensor(img, [1, 28, 28], { invert: false, range: [-1, 3] });
    assert.deepStrictEqual([plain.inverted, +plain.values[0].toFixed(12), +plain.values[14 * 28 + 14].toFixed(12)], [false, 3, -1]);
  });

  it('keeps a light subject on a dark background as it is, and averages pixels that straddle two cells', () => {
    // 3 x 3 onto 2 x 2: each output cell covers 1.5 x 1.5 source pixels.
    const img = picture(3, 3, (x, y) => (x === 1 && y === 1 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const t = imageToTensor(img, [1, 2, 2]);
    assert.strictEqual(t.inverted, false);
    // The centre pixel lies 0.5 x 0.5 in each output cell of area 2.25.
    for (const v of t.values) assert.ok(Math.abs(v - 0.25 / 2.25) < 1e-12, `${v}`);
  });

  it('puts transparent pixels on white and turns colour into Rec. 601 grey; three-channel models keep the colour', () => {
    const img = picture(2, 1, (x) => (x === 0 ? [0, 0, 0, 0] : [255, 0, 0, 255]));
    const grey = imageToTensor(img, [1, 1, 2], { invert: false });
    assert.deepStrictEqual(grey.values.map((v) => +v.toFixed(6)), [1, 0.299]);
    const rgb = imageToTensor(img, [3, 1, 2], { invert: false });
    assert.deepStrictEqual(rgb.values, [1, 1, 1, 0, 1, 0]);
  });

  it('fits a wide picture keeping its aspect ratio; the margin takes the border colour', () => {
    assert.deepStrictEqual(fitBox(100, 50, 28, 28), { x: 0, y: 7, width: 28, height: 14 });
    assert.deepStrictEqual(fitBox(10, 40, 8, 8), { x: 3, y: 0, width: 2, height: 8 });
    const img = picture(100, 50, () => [51, 51, 51, 255]);
    const t = imageToTensor(img, [1, 28, 28], { invert: false });
    assert.ok(t.values.every((v) => Math.abs(v - 0.2) < 1e-12), 'the margin matches the picture');
  });

  it('area averaging keeps the mean brightness for any sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1000 }), (w, h, tw, th, seed) => {
        const plane = Array.from({ length: w * h }, (_, i) => ((i * 7919 + seed) % 101) / 100);
        return Math.abs(mean(resample(plane, w, h, tw, th)) - mean(plane)) < 1e-9;
      }),
    );
    for (const [from, to] of [[7, 3], [3, 7], [5, 5]]) {
      const cells = coverage(from, to);
      assert.ok(cells.every((c) => Math.abs(c.reduce((s, x) => s + x.weight, 0) - from / to) < 1e-12), `${from} -> ${to}`);
    }
  });

  it('refuses shapes that are not images and buffers that do not match their size', () => {
    const img = picture(2, 2, () => [0, 0, 0, 255]);
    assert.throws(() => imageToTensor(img, [4]), /needs a \[C, H, W\] shape, the model's is \[4\]/);
    assert.throws(() => imageToTensor({ width: 2, height: 2, data: new Uint8ClampedArray(15) }, [1, 2, 2]), /15 bytes for 2 x 2 RGBA pixels/);
    assert.strictEqual(borderMean([1, 1, 1, 1, 0, 1, 1, 1, 1], 3, 3), 1);
  });
});
