// Streams many points through a ScalarFunction in chunks of its `maxBatch`, so a method with
// hundreds of points (IG steps, SmoothGrad samples, occlusion windows) never holds them all.
import type { ScalarFunction } from '../runner';

/** Writes point `k` into `into` (length `fn.size`). */
export type PointMaker = (k: number, into: Float64Array) => void;

/** ∇f at `count` points made by `make`; `use(k, value, gradient)` sees each in order. */
export async function gradientsAt(fn: ScalarFunction, count: number, make: PointMaker, use: (k: number, value: number, gradient: Float64Array) => void): Promise<void> {
  const chunk = Math.max(1, fn.maxBatch);
  for (let start = 0; start < count; start += chunk) {
    const m = Math.min(chunk, count - start);
    const xs = new Float64Array(m * fn.size);
    for (let i = 0; i < m; i++) make(start + i, xs.subarray(i * fn.size, (i + 1) * fn.size));
    const r = await fn.gradients(xs, m);
    for (let i = 0; i < m; i++) use(start + i, r.values[i], r.gradients.subarray(i * fn.size, (i + 1) * fn.size));
  }
}

/** f at `count` points made by `make`, in order. */
export async function valuesAt(fn: ScalarFunction, count: number, make: PointMaker): Promise<Float64Array> {
  const chunk = Math.max(1, fn.maxBatch);
  const out = new Float64Array(count);
  for (let start = 0; start < count; start += chunk) {
    const m = Math.min(chunk, count - start);
    const xs = new Float64Array(m * fn.size);
    for (let i = 0; i < m; i++) make(start + i, xs.subarray(i * fn.size, (i + 1) * fn.size));
    out.set(await fn.values(xs, m), start);
  }
  return out;
}
