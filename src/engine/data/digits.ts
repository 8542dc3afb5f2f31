// The UCI optical handwritten digits (8x8, 1,797 images), shipped as data/digits.csv.gz: one
// image per line, 64 pixel counts in 0..16 (row-major) then the digit. Pixels are scaled to
// [0, 1]. Licence and attribution: data/DIGITS-LICENSE.md.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { findDataDir } from './dataDir';
import type { Dataset, LoadResult } from './types';

export const DIGITS_FILE = 'digits.csv.gz';
const PIXELS = 64;
const MAX_PIXEL = 16;

/** Parsed once per file; callers get copies so nobody can alter the cached set. */
const cache = new Map<string, { x: Float32Array; y: Int32Array }>();

function parse(file: string, text: string): { ok: true; x: Float32Array; y: Int32Array } | { ok: false; message: string } {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const n = lines.length;
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== PIXELS + 1) {
      return { ok: false, message: `${file}:${i + 1}: expected ${PIXELS + 1} values (64 pixels and the digit), found ${cells.length}` };
    }
    for (let j = 0; j <= PIXELS; j++) {
      const v = Number(cells[j]);
      const max = j < PIXELS ? MAX_PIXEL : 9;
      if (cells[j].trim() === '' || !Number.isInteger(v) || v < 0 || v > max) {
        return { ok: false, message: `${file}:${i + 1}: column ${j + 1}: "${cells[j]}" is not an integer in 0..${max}` };
      }
      if (j < PIXELS) x[i * PIXELS + j] = v / MAX_PIXEL;
      else y[i] = v;
    }
  }
  return { ok: true, x, y };
}

/**
 * Loads the digits set from `<dataDir>/digits.csv.gz` (dataDir defaults to the package's data/
 * folder). Shape [1, 8, 8], values in [0, 1], 10 classes named "0".."9".
 */
export function loadDigits(dataDir?: string): LoadResult {
  const dir = dataDir ?? findDataDir();
  if (dir === undefined) {
    return { ok: false, message: `digits: cannot find the layerwise package folder above ${__dirname} (it holds data/${DIGITS_FILE}); reinstall the extension` };
  }
  const file = path.join(dir, DIGITS_FILE);
  let parsed = cache.get(file);
  if (parsed === undefined) {
    let text: string;
    try {
      text = zlib.gunzipSync(fs.readFileSync(file)).toString('latin1');
    } catch (err) {
      return { ok: false, message: `digits: cannot read ${file}: ${(err as Error).message}` };
    }
    const result = parse(file, text);
    if (!result.ok) return result;
    parsed = { x: result.x, y: result.y };
    cache.set(file, parsed);
  }
  const dataset: Dataset = {
    name: 'digits',
    x: parsed.x.slice(),
    sampleShape: [1, 8, 8],
    y: parsed.y.slice(),
    labelShape: [],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    count: parsed.y.length,
  };
  return { ok: true, dataset };
}
