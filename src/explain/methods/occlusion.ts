// Occlusion (Zeiler & Fergus, 2014): slide a window over the input, replace what it covers by
// the baseline, and record how much the attributed output drops, f(x) − f(x occluded). Each
// element gets the mean drop over the windows that cover it. Windows slide along some axes and
// cover the others whole (an image's channels, a token's embedding).
import type { ScalarFunction } from '../runner';
import { valuesAt } from './batched';
import type { MethodOutput } from './types';

export interface OcclusionGrid {
  /** Per-sample shape of the input. */
  shape: number[];
  /** The axes the window slides along; the others are covered whole. */
  axes: number[];
  /** Window size and stride per slid axis (same order as `axes`). */
  window: number[];
  stride: number[];
}

/**
 * Window starts along an axis of length `dim`: 0, s, 2s ... while the window fits, plus one
 * flush with the end when the last regular one stops short, so every element is covered.
 */
export function windowStarts(dim: number, window: number, stride: number): number[] {
  const w = Math.min(window, dim);
  const starts: number[] = [];
  for (let p = 0; p + w <= dim; p += stride) starts.push(p);
  if (starts[starts.length - 1] + w < dim) starts.push(dim - w);
  return starts;
}

/** Coordinate of every element of a row-major `shape` along `axis`. */
function coordinates(shape: number[], axis: number): Int32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(i / inner) % shape[axis];
  return out;
}

export async function occlusion(fn: ScalarFunction, x: Float64Array, baseline: Float64Array, grid: OcclusionGrid): Promise<MethodOutput> {
  const coords = grid.axes.map((a) => coordinates(grid.shape, a));
  const windows = grid.axes.map((a, k) => Math.min(grid.window[k], grid.shape[a]));
  const startsPerAxis = grid.axes.map((a, k) => windowStarts(grid.shape[a], grid.window[k], grid.stride[k]));
  // Every combination of starts along the slid axes.
  const positions: number[][] = [[]];
  for (const starts of startsPerAxis) {
    const next: number[][] = [];
    for (const p of positions) for (const s of starts) next.push([...p, s]);
    positions.splice(0, positions.length, ...next);
  }
  const covered = (pos: number[], i: number) => pos.every((p, k) => coords[k][i] >= p && coords[k][i] < p + windows[k]);
  const score = (await fn.values(x, 1))[0];
  const occluded = await valuesAt(fn, positions.length, (k, into) => {
    const pos = positions[k];
    for (let i = 0; i < x.length; i++) into[i] = covered(pos, i) ? baseline[i] : x[i];
  });
  const sum = new Float64Array(x.length);
  const count = new Float64Array(x.length);
  positions.forEach((pos, k) => {
    const drop = score - occluded[k];
    for (let i = 0; i < x.length; i++) {
      if (!covered(pos, i)) continue;
      sum[i] += drop;
      count[i] += 1;
    }
  });
  const attributions = sum.map((s, i) => (count[i] > 0 ? s / count[i] : 0));
  return { attributions, score };
}
