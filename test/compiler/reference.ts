// Straightforward JavaScript references for the layer lowerings, losses and optimizers, written
// for clarity (plain loops in float64), not speed.
import { mulberry32, normals } from '../../src/compiler/random';

export interface T {
  shape: number[];
  data: number[];
}

export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Seeded standard-normal tensor (scaled). */
export function randn(shape: number[], seed: number, scale = 1): T {
  const n = normals(mulberry32(seed));
  return { shape, data: Array.from({ length: size(shape) }, () => n() * scale) };
}

export function dense(x: T, w: T, b?: T): T {
  const [inF, units] = w.shape;
  const rows = size(x.shape) / inF;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let s = b ? b.data[u] : 0;
      for (let i = 0; i < inF; i++) s += x.data[r * inF + i] * w.data[i * units + u];
      out.push(s);
    }
  }
  return { shape: [...x.shape.slice(0, -1), units], data: out };
}

export interface Conv2dOpts {
  strides: [number, number];
  dilations: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  groups: number;
}

export function conv2d(x: T, w: T, b: T | undefined, o: Conv2dOpts): T {
  const [n, c, h, wd] = x.shape;
  const [f, cg, kh, kw] = w.shape;
  const oh = Math.floor((h + o.pads[0] + o.pads[2] - o.dilations[0] * (kh - 1) - 1) / o.strides[0]) + 1;
  const ow = Math.floor((wd + o.pads[1] + o.pads[3] - o.dilations[1] * (kw - 1) - 1) / o.strides[1]) + 1;
  const fg = f / o.groups;
  const out = new Array<number>(n * f * oh * ow).fill(0);
  for (let s = 0; s < n; s++)
    for (let fo = 0; fo < f; fo++) {
      const grp = Math.floor(fo / fg);
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++) {
          let acc = b ? b.data[fo] : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = y * o.strides[0] - o.pads[0] + ky * o.dilations[0];
                const ix = xo * o.strides[1] - o.pads[1] + kx * o.dilations[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                const cin = grp * cg + ci;
                acc += x.data[((s * c + cin) * h + iy) * wd + ix] * w.data[((fo * cg + ci) * kh + ky) * kw + kx];
              }
          out[((s * f + fo) * oh + y) * ow + xo] = acc;
        }
    }
  return { shape: [n, f, oh, ow], data: out };
}

/** Max or average (padding excluded) pooling over [N, C, H, W]. */
export function pool2d(x: T, kind: 'max' | 'avg', k: [number, number], strides: [number, number], pads: [number, number, number, number]): T {
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h + pads[0] + pads[2] - k[0]) / strides[0]) + 1;
  const ow = Math.floor((w + pads[1] + pads[3] - k[1]) / strides[1]) + 1;
  const out: number[] = [];
  for (let s = 0; s < n; s++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let ky = 0; ky < k[0]; ky++)
            for (let kx = 0; kx < k[1]; kx++) {
              const iy = y * strides[0] - pads[0] + ky;
              const ix = xo * strides[1] - pads[1] + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const v = x.data[((s * c + ch) * h + iy) * w + ix];
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          out.push(kind === 'max' ? best : sum / count);
        }
  return { shape: [n, c, oh, ow], data: out };
}

/** Mean over the given axes, dropping them. */
export function meanOver(x: T, axes: number[]): T {
  const keep = x.shape.map((_, i) => !axes.includes(i));
  const outShape = x.shape.filter((_, i) => keep[i]);
  const sums = new Array<number>(size(outShape)).fill(0);
  const counts = size(x.shape) / size(outShape);
  const idx = new Array<number>(x.shape.length).fill(0);
  for (let flat = 0; flat < x.data.length; flat++) {
    let o = 0;
    for (let d = 0; d < x.shape.length; d++) if (keep[d]) o = o * x.shape[d] + idx[d];
    sums[o] += x.data[flat];
    for (let d = x.shape.length - 1; d >= 0; d--) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  return { shape: outShape, data: sums.map((s) => s / counts) };
}

export const map = (x: T, f: (v: number, i: number) => number): T => ({ shape: x.shape, data: x.data.map(f) });

/** Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, enough against float32 results. */
export function erf(x: number): number {
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return Math.sign(x) * y;
}

export const activations: Record<string, (v: number) => number> = {
  relu: (v) => Math.max(0, v),
  leaky_relu: (v) => (v > 0 ? v : 0.01 * v),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  linear: (v) => v,
};

/** Softmax over `axis` of x. */
export function softmax(x: T, axis: number): T {
  const out = x.data.slice();
  const inner = size(x.shape.slice(axis + 1));
  const len = x.shape[axis];
  const outer = size(x.shape.slice(0, axis));
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * len + k) * inner + i;
      let m = -Infinity;
      for (let k = 0; k < len; k++) m = Math.max(m, x.data[at(k)]);
      let s = 0;
      for (let k = 0; k < len; k++) s += Math.exp(x.data[at(k)] - m);
      for (let k = 0; k < len; k++) out[at(k)] = Math.exp(x.data[at(k)] - m) / s;
    }
  return { shape: x.shape, data: out };
}

/** BatchNorm over channel axis 1 of [N, C, ...]: batch statistics (train) or the given ones (eval). */
export function batchNorm(x: T, gamma: number[], beta: number[], eps: number, stats?: { mean: number[]; var: number[] }): { y: T; mean: number[]; var: number[] } {
  const [n, c] = x.shape;
  const inner = size(x.shape.slice(2));
  const mean = new Array<number>(c).fill(0);
  const vr = new Array<number>(c).fill(0);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) for (let i = 0; i < inner; i++) s += x.data[(b * c + ch) * inner + i];
    mean[ch] = s / (n * inner);
    let q = 0;
    for (let b = 0; b < n; b++) for (let i = 0; i < inner; i++) q += (x.data[(b * c + ch) * inner + i] - mean[ch]) ** 2;
    vr[ch] = q / (n * inner);
  }
  const m = stats?.mean ?? mean;
  const v = stats?.var ?? vr;
  const y = x.data.map((val, flat) => {
    const ch = Math.floor(flat / inner) % c;
    return ((val - m[ch]) / Math.sqrt(v[ch] + eps)) * gamma[ch] + beta[ch];
  });
  return { y: { shape: x.shape, data: y }, mean, var: vr };
}

/** Largest |a - b| relative to max(1, |b|). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
