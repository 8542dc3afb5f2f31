// Drawing an attribution map: the input as grey levels (or RGB), the map coloured with the
// engine's colormaps (diverging around 0 for signed maps, sequential for magnitudes) on a robust
// scale, and the two blended by the opacity slider: out = (1 − opacity) · input + opacity · colour.
// Pure functions over RGBA buffers, so the compositing is tested without a canvas.
import { diverging, robustScale, sequential } from '../../../src/explain/colormap';

export type Display = 'signed' | 'magnitude';

/** RGBA pixels, row-major, 4 bytes per pixel. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * The map as a grid: images' [H, W] maps as they are; other shapes lay every axis but the last
 * out as rows (a [C, L] signal: one row per channel; a [T] strip: one row).
 */
export function gridOf(shape: readonly number[]): { rows: number; cols: number } {
  if (shape.length === 0) return { rows: 1, cols: 1 };
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { rows, cols };
}

/** The colour of one map value on scale `scale` (the |value| drawn at the end of the colormap). */
export function colorOf(v: number, display: Display, scale: number): [number, number, number] {
  return display === 'signed' ? diverging(v / scale) : sequential(Math.abs(v) / scale);
}

/** The scale a map is drawn on: its 99th percentile of |value| (the engine's robust scale). */
export function mapScale(values: ArrayLike<number>): number {
  return robustScale(values);
}

/**
 * The input as an image for display: [C, H, W] with C = 3 as RGB, otherwise the channels' mean
 * as grey; any other shape as a grid of grey levels. Values are stretched from their own minimum
 * to maximum (a constant input is mid-grey).
 */
export function inputRaster(values: ArrayLike<number>, shape: readonly number[]): Raster {
  const image = shape.length === 3;
  const channels = image ? shape[0] : 1;
  const { rows: height, cols: width } = image ? { rows: shape[1], cols: shape[2] } : gridOf(shape);
  const plane = width * height;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi > lo ? hi - lo : 0;
  const level = (v: number) => (span > 0 ? Math.round((255 * (v - lo)) / span) : 128);
  const data = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    let r: number;
    let g: number;
    let b: number;
    if (channels === 3) {
      r = level(values[p]);
      g = level(values[plane + p]);
      b = level(values[2 * plane + p]);
    } else {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += values[c * plane + p];
      r = g = b = level(sum / channels);
    }
    data[4 * p] = r;
    data[4 * p + 1] = g;
    data[4 * p + 2] = b;
    data[4 * p + 3] = 255;
  }
  return { width, height, data };
}

/** The map alone, coloured, at one pixel per map element. */
export function mapRaster(map: ArrayLike<number>, shape: readonly number[], display: Display, scale = mapScale(map)): Raster {
  const { rows, cols } = gridOf(shape);
  const data = new Uint8ClampedArray(rows * cols * 4);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = colorOf(map[i], display, scale);
    data[4 * i] = r;
    data[4 * i + 1] = g;
    data[4 * i + 2] = b;
    data[4 * i + 3] = 255;
  }
  return { width: cols, height: rows, data };
}

/**
 * The map blended over the input: out = (1 − opacity) · input + opacity · colour, per channel.
 * The map must have one value per pixel of the input raster.
 */
export function overlay(input: Raster, map: ArrayLike<number>, display: Display, opacity: number, scale = mapScale(map)): Raster {
  const n = input.width * input.height;
  if (map.length !== n) throw new RangeError(`the map has ${map.length} values for ${input.width} x ${input.height} pixels`);
  const a = Math.min(1, Math.max(0, Number.isFinite(opacity) ? opacity : 0));
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const c = colorOf(map[i], display, scale);
    for (let k = 0; k < 3; k++) data[4 * i + k] = Math.round((1 - a) * input.data[4 * i + k] + a * c[k]);
    data[4 * i + 3] = 255;
  }
  return { width: input.width, height: input.height, data };
}

/** The colour bar under a map: `steps` colours from the low end to the high end, with the end values. */
export function legend(display: Display, scale: number, steps = 32): { colors: string[]; min: number; max: number } {
  const colors: string[] = [];
  const lo = display === 'signed' ? -scale : 0;
  for (let i = 0; i < steps; i++) {
    const v = lo + ((scale - lo) * i) / Math.max(1, steps - 1);
    const [r, g, b] = colorOf(v, display, scale);
    colors.push(`rgb(${r}, ${g}, ${b})`);
  }
  return { colors, min: lo, max: scale };
}

export interface MapStats {
  min: number;
  max: number;
  /** Sum of |value|. */
  absSum: number;
  /** Elements that are not 0. */
  nonzero: number;
  scale: number;
}

export function mapStats(values: ArrayLike<number>): MapStats {
  let min = Infinity;
  let max = -Infinity;
  let absSum = 0;
  let nonzero = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    absSum += Math.abs(v);
    if (v !== 0) nonzero++;
  }
  if (values.length === 0) min = max = 0;
  return { min, max, absSum, nonzero, scale: mapScale(values) };
}

/** How many pixels of two equally sized rasters differ (any channel). */
export function differingPixels(a: Raster, b: Raster): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError('the rasters differ in size');
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (a.data[4 * i] !== b.data[4 * i] || a.data[4 * i + 1] !== b.data[4 * i + 1] || a.data[4 * i + 2] !== b.data[4 * i + 2]) n++;
  }
  return n;
}
