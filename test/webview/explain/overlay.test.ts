// Compositing an attribution map over its input: grey/RGB input rasters, the diverging and
// sequential colormaps, the opacity blend out = (1 − a) · input + a · colour, the legend's ends.
import * as assert from 'assert';
import fc from 'fast-check';
import { diverging, sequential } from '../../../src/explain/colormap';
import { differingPixels, gridOf, inputRaster, legend, mapRaster, mapStats, overlay } from '../../../webview/explain/logic/overlay';

const px = (r: { data: Uint8ClampedArray }, i: number) => Array.from(r.data.subarray(4 * i, 4 * i + 4));

describe('webview/explain overlay', () => {
  it('lays maps out as grids: images as they are, other shapes with the last axis as columns', () => {
    assert.deepStrictEqual(gridOf([28, 28]), { rows: 28, cols: 28 });
    assert.deepStrictEqual(gridOf([3, 50]), { rows: 3, cols: 50 });
    assert.deepStrictEqual(gridOf([2, 3, 4]), { rows: 6, cols: 4 });
    assert.deepStrictEqual(gridOf([7]), { rows: 1, cols: 7 });
  });

  it('draws the input stretched from its minimum to its maximum: grey, RGB for three channels, the mean of other channel counts', () => {
    const grey = inputRaster([1, 3, 5, 1], [1, 2, 2]);
    assert.deepStrictEqual([grey.width, grey.height], [2, 2]);
    assert.deepStrictEqual([px(grey, 0), px(grey, 1), px(grey, 2)], [[0, 0, 0, 255], [128, 128, 128, 255], [255, 255, 255, 255]]);
    // [3, 1, 2]: planes R = [0, 1], G = [1, 0], B = [0, 0] over the shared range 0..1.
    const rgb = inputRaster([0, 1, 1, 0, 0, 0], [3, 1, 2]);
    assert.deepStrictEqual([px(rgb, 0), px(rgb, 1)], [[0, 255, 0, 255], [255, 0, 0, 255]]);
    const two = inputRaster([0, 1, 1, 1], [2, 1, 2]);
    assert.deepStrictEqual([px(two, 0)[0], px(two, 1)[0]], [128, 255]);
    assert.deepStrictEqual(px(inputRaster([5, 5, 5], [3]), 1), [128, 128, 128, 255], 'a constant input is mid-grey');
  });

  it('blends by opacity: 0 is the input, 1 the colour, in between the weighted mean per channel', () => {
    const input = inputRaster([0, 0.5, 1, 0.25], [1, 2, 2]);
    const map = [-1, 0, 1, 0.5];
    const scale = 1;
    assert.strictEqual(differingPixels(overlay(input, map, 'signed', 0, scale), input), 0);
    const full = overlay(input, map, 'signed', 1, scale);
    assert.deepStrictEqual([px(full, 0).slice(0, 3), px(full, 1).slice(0, 3), px(full, 2).slice(0, 3)], [diverging(-1), diverging(0), diverging(1)]);
    const half = overlay(input, map, 'signed', 0.5, scale);
    for (let i = 0; i < 4; i++) {
      const c = diverging(map[i]);
      for (let k = 0; k < 3; k++) assert.strictEqual(half.data[4 * i + k], Math.round(0.5 * input.data[4 * i + k] + 0.5 * c[k]), `pixel ${i} channel ${k}`);
    }
    // Negative attributions are blue, positive red, 0 nearly white.
    const [neg, zero, pos] = [px(full, 0), px(full, 1), px(full, 2)];
    assert.ok(neg[2] > neg[0] && pos[0] > pos[2] && zero.slice(0, 3).every((v) => v > 240));
    assert.throws(() => overlay(input, [1, 2, 3], 'signed', 0.5), /the map has 3 values for 2 x 2 pixels/);
  });

  it('magnitudes use the sequential colormap on |value|, dark at 0; the scale is the 99th percentile of |value|', () => {
    const map = Array.from({ length: 200 }, (_, i) => (i === 0 ? 1000 : i / 199));
    const raster = mapRaster(map, [10, 20], 'magnitude');
    assert.deepStrictEqual(px(raster, 1).slice(0, 3), sequential(1 / 199 / mapStats(map).scale));
    assert.deepStrictEqual(px(raster, 0).slice(0, 3), sequential(1), 'the outlier saturates');
    assert.ok(mapStats(map).scale < 1.01, 'one outlier does not set the scale');
    const dark = mapRaster([0], [1], 'magnitude', 1);
    assert.deepStrictEqual(px(dark, 0).slice(0, 3), sequential(0));
  });

  it('opacity keeps every pixel between the input and the colour (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.array(fc.float({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, map, a) => {
        const input = inputRaster(values, [1, 2, 2]);
        const out = overlay(input, map, 'signed', a, 1);
        for (let i = 0; i < 4; i++) {
          const c = diverging(map[i]);
          for (let k = 0; k < 3; k++) {
            const lo = Math.min(input.data[4 * i + k], c[k]);
            const hi = Math.max(input.data[4 * i + k], c[k]);
            if (out.data[4 * i + k] < lo || out.data[4 * i + k] > hi) return false;
          }
        }
        return true;
      }),
    );
  });

  it('the legend runs from −scale to scale for signed maps and from 0 for magnitudes; stats count what is drawn', () => {
    const signed = legend('signed', 2, 5);
    assert.deepStrictEqual([signed.min, signed.max, signed.colors.length], [-2, 2, 5]);
    assert.strictEqual(signed.colors[0], `rgb(${diverging(-1).join(', ')})`);
    assert.strictEqual(signed.colors[2], `rgb(${diverging(0).join(', ')})`);
    const mag = legend('magnitude', 3, 4);
    assert.deepStrictEqual([mag.min, mag.colors[0], mag.colors[3]], [0, `rgb(${sequential(0).join(', ')})`, `rgb(${sequential(1).join(', ')})`]);
    // The scale is the engine's robust one: |values| sorted [0, 0, 2, 3], the element at floor(0.99 · 3).
    assert.deepStrictEqual(mapStats([0, -2, 3, 0]), { min: -2, max: 3, absSum: 5, nonzero: 2, scale: 2 });
  });
});
