// Draws an explanation as one RGB image for `layerwise explain --out`. Images: the input, the
// attribution map and, when the randomization check ran, the re-initialised model's map, side
// by side (or the map blended over the input with `overlay`). Tabular and token inputs: a strip
// of cells, one per feature or token: the input values in grey, the attributions below.
import { colorize } from './colormap';
import type { RgbImage } from './png';
import type { ExplainResult } from './types';

export type RenderLayout = 'side' | 'overlay';

type Rgb = [number, number, number];
const BACKGROUND: Rgb = [40, 40, 40];
const GAP = 6;

/** A small raster of RGB pixels. */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.pixels.set(BACKGROUND, i * 3);
  }
  /** Draws a w × h grid of colours, each cell `sx` × `sy` pixels, with its top-left corner at (x0, y0). */
  cells(colors: Rgb[], w: number, h: number, x0: number, y0: number, sx: number, sy = sx): void {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const color = colors[r * w + c];
        for (let dy = 0; dy < sy; dy++) {
          for (let dx = 0; dx < sx; dx++) this.pixels.set(color, ((y0 + r * sy + dy) * this.width + x0 + c * sx + dx) * 3);
        }
      }
    }
  }
  image(): RgbImage {
    return { width: this.width, height: this.height, pixels: this.pixels };
  }
}

/** Grey levels of `values` spread over their own range. */
function greys(values: ArrayLike<number>): Rgb[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const span = hi > lo ? hi - lo : 1;
  return Array.from({ length: values.length }, (_, i) => {
    const g = Math.round((255 * (values[i] - lo)) / span);
    return [g, g, g] as Rgb;
  });
}

/** The input image as colours: grey for one channel, RGB for three, the channel mean otherwise. */
function inputColors(values: number[], [c, h, w]: number[]): Rgb[] {
  if (c === 3) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi > lo ? hi - lo : 1;
    const at = (ch: number, i: number) => Math.round((255 * (values[ch * h * w + i] - lo)) / span);
    return Array.from({ length: h * w }, (_, i) => [at(0, i), at(1, i), at(2, i)] as Rgb);
  }
  const mean = new Float64Array(h * w);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) mean[i] += values[ch * h * w + i] / c;
  return greys(mean);
}

/** The map blended over the input's grey levels, more opaque where |attribution| is larger. */
function overlayColors(base: Rgb[], map: number[], display: ExplainResult['display']): Rgb[] {
  const colors = colorize(map, display);
  let max = 0;
  for (const v of map) max = Math.max(max, Math.abs(v));
  return base.map((b, i) => {
    const grey = (b[0] + b[1] + b[2]) / 3;
    const alpha = max > 0 ? Math.min(1, (1.5 * Math.abs(map[i])) / max) : 0;
    return colors[i].map((v) => Math.round(alpha * v + (1 - alpha) * grey)) as Rgb;
  });
}

function renderImage(r: ExplainResult, layout: RenderLayout): RgbImage {
  const [h, w] = r.mapShape;
  const scale = Math.max(1, Math.min(16, Math.ceil(168 / Math.max(h, w))));
  const base = inputColors(r.input.values, r.input.shape);
  const panels: Rgb[][] = layout === 'overlay' ? [overlayColors(base, r.map, r.display)] : [base, colorize(r.map, r.display)];
  if (r.randomization) panels.push(layout === 'overlay' ? overlayColors(base, r.randomization.map, r.display) : colorize(r.randomization.map, r.display));
  const canvas = new Canvas(panels.length * w * scale + (panels.length - 1) * GAP, h * scale);
  panels.forEach((p, k) => canvas.cells(p, w, h, k * (w * scale + GAP), 0, scale));
  return canvas.image();
}

/** One row of cells per line of a 1-D or 2-D map, the input's values first. */
function renderStrip(r: ExplainResult): RgbImage {
  const shape = r.mapShape;
  const [rows, cols] = shape.length === 2 ? shape : [1, shape[0]];
  const cell = cols <= 64 ? 16 : cols <= 256 ? 6 : 2;
  const inputs = r.input.kind === 'tokens' || r.input.values.length === rows * cols ? greys(r.input.raw ?? r.input.values) : [];
  const maps = [colorize(r.map, r.display), ...(r.randomization ? [colorize(r.randomization.map, r.display)] : [])];
  const blocks = [...(inputs.length ? [inputs] : []), ...maps];
  const canvas = new Canvas(cols * cell, blocks.length * rows * cell + (blocks.length - 1) * GAP);
  blocks.forEach((b, k) => canvas.cells(b, cols, rows, 0, k * (rows * cell + GAP), cell));
  return canvas.image();
}

export function renderExplanation(r: ExplainResult, layout: RenderLayout = 'side'): RgbImage {
  return r.input.kind === 'image' && r.mapShape.length === 2 ? renderImage(r, layout) : renderStrip(r);
}
