// Equal-width histograms of tensor values, small enough to stream to the editor several times a
// second. NaN and infinities are counted apart so that one bad value does not stretch the range.
import type { Histogram } from './protocol';

export const DEFAULT_BINS = 16;

export function histogram(values: ArrayLike<number>, bins = DEFAULT_BINS): Histogram {
  const n = Math.max(1, Math.floor(bins));
  const counts = new Array<number>(n).fill(0);
  let min = Infinity;
  let max = -Infinity;
  let absSum = 0;
  let finite = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    absSum += Math.abs(v);
    finite++;
  }
  if (finite === 0) return { min: 0, max: 0, counts, meanAbs: 0, nonFinite };
  // Halved so that the span of values near ±Number.MAX_VALUE stays finite.
  const span = max / 2 - min / 2;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    // A constant tensor (span 0) lands in the middle bin; the maximum in the last one.
    const bin = span > 0 ? Math.min(n - 1, Math.floor(((v / 2 - min / 2) / span) * n)) : n >> 1;
    counts[bin]++;
  }
  return { min, max, counts, meanAbs: absSum / finite, nonFinite };
}
