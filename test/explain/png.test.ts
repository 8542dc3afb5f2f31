import * as assert from 'assert';
import * as zlib from 'zlib';
import { crc32, encodePng } from '../../src/explain/png';
import { colorize, diverging, robustScale, sequential } from '../../src/explain/colormap';
import { decodePng } from './png-decode';

describe('explain/png and colormaps', () => {
  it('crc32 matches the known value of the IEND chunk and zlib where it has one', () => {
    assert.strictEqual(crc32(Buffer.from('IEND', 'latin1')), 0xae426082);
    const z = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;
    const data = Buffer.from('attribution maps, drawn', 'utf8');
    if (z) assert.strictEqual(crc32(data), z(data));
  });

  it('encodes an RGB image that decodes back to the same pixels', () => {
    const width = 7;
    const height = 5;
    const pixels = new Uint8Array(width * height * 3).map((_, i) => (i * 37 + (i >> 3) * 11) & 0xff);
    const decoded = decodePng(encodePng({ width, height, pixels }));
    assert.deepStrictEqual([decoded.width, decoded.height, decoded.bitDepth, decoded.colorType], [7, 5, 8, 2]);
    assert.deepStrictEqual(decoded.chunks, ['IHDR', 'IDAT', 'IEND']);
    assert.deepStrictEqual(Array.from(decoded.pixels), Array.from(pixels));
  });

  it('refuses a pixel buffer of the wrong size', () => {
    assert.throws(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(11) }), /needs 12 RGB bytes/);
  });

  it('diverging is white at 0, blue below and red above; sequential brightens with magnitude', () => {
    const [r0, g0, b0] = diverging(0);
    assert.ok(r0 > 240 && g0 > 240 && b0 > 240);
    const [rn, , bn] = diverging(-1);
    const [rp, , bp] = diverging(1);
    assert.ok(bn > rn && rp > bp);
    const lum = (c: number[]) => c[0] + c[1] + c[2];
    for (let k = 0; k < 10; k++) assert.ok(lum(sequential((k + 1) / 10)) > lum(sequential(k / 10)), `sequential brightens after ${k / 10}`);
  });

  it('scales by the 99th percentile so one outlier does not wash out the map', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i % 10) / 10);
    values[500] = 1000;
    assert.ok(robustScale(values) < 1);
    const colors = colorize(values, 'magnitude');
    assert.deepStrictEqual(colors[500], sequential(1));
    assert.deepStrictEqual(colors[9], sequential(0.9 / robustScale(values)));
  });
});
