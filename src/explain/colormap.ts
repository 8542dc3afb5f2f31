// Colormaps for attribution maps: diverging (blue below zero, white at zero, red above) for
// signed attributions, sequential (dark to bright) for magnitudes, and a robust scale so one
// extreme element does not wash out the rest of the map.

type Rgb = [number, number, number];

/** Control points at evenly spaced positions from −1 to 1. */
const DIVERGING: Rgb[] = [
  [38, 76, 178],
  [122, 160, 224],
  [246, 246, 246],
  [234, 128, 104],
  [186, 32, 40],
];

/** Control points at evenly spaced positions from 0 to 1. */
const SEQUENTIAL: Rgb[] = [
  [12, 8, 32],
  [72, 22, 112],
  [168, 48, 96],
  [238, 126, 44],
  [252, 238, 148],
];

function interpolate(points: Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (points.length - 1);
  const i = Math.min(points.length - 2, Math.floor(x));
  const f = x - i;
  const a = points[i];
  const b = points[i + 1];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Colour of v in [−1, 1] (clipped). */
export function diverging(v: number): Rgb {
  return interpolate(DIVERGING, (v + 1) / 2);
}

/** Colour of v in [0, 1] (clipped). */
export function sequential(v: number): Rgb {
  return interpolate(SEQUENTIAL, v);
}

/**
 * The |value| that maps to the end of the colormap: the 99th percentile of |v| (so a few
 * outliers saturate instead of darkening everything else), or the maximum when that is 0.
 */
export function robustScale(values: ArrayLike<number>): number {
  const abs = Float64Array.from(values as ArrayLike<number>, (v) => Math.abs(v)).filter(Number.isFinite).sort();
  if (abs.length === 0) return 1;
  const p = abs[Math.min(abs.length - 1, Math.floor(0.99 * (abs.length - 1)))];
  const max = abs[abs.length - 1];
  return p > 0 ? p : max > 0 ? max : 1;
}

/** Colours of a map: diverging around 0 for signed maps, sequential for magnitudes. */
export function colorize(values: ArrayLike<number>, display: 'signed' | 'magnitude'): Rgb[] {
  const s = robustScale(values);
  const out: Rgb[] = [];
  for (let i = 0; i < values.length; i++) out.push(display === 'signed' ? diverging(values[i] / s) : sequential(Math.abs(values[i]) / s));
  return out;
}
