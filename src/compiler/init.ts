// Deterministic initial values for every parameter, per its `init`. Each tensor draws from its
// own stream seeded by (run seed, tensor name), so adding a layer leaves the others unchanged.
import type { ParamTensor } from './types';
import { hashString, mixSeeds, mulberry32, normals } from './random';

function fill(p: ParamTensor, out: Float32Array, seed: number): void {
  const uniform = mulberry32(mixSeeds(seed >>> 0, hashString(p.name)));
  const normal = normals(uniform);
  const fanIn = Math.max(1, p.fanIn);
  const fanOut = Math.max(1, p.fanOut);
  const symmetric = (limit: number) => { for (let i = 0; i < out.length; i++) out[i] = (2 * uniform() - 1) * limit; };
  const gaussian = (std: number) => { for (let i = 0; i < out.length; i++) out[i] = normal() * std; };
  switch (p.init) {
    case 'zeros':
      return;
    case 'ones':
      out.fill(1);
      return;
    case 'he_normal':
      return gaussian(Math.sqrt(2 / fanIn));
    case 'he_uniform':
      return symmetric(Math.sqrt(6 / fanIn));
    case 'glorot_uniform':
      return symmetric(Math.sqrt(6 / (fanIn + fanOut)));
    case 'normal_0.02':
      return gaussian(0.02);
    case 'orthogonal':
      return orthogonal(p.shape, out, normal);
  }
}

/**
 * Orthogonal init. A matrix [rows, cols] gets orthonormal rows or columns (whichever are fewer).
 * A rank-3 tensor is a stack of matrices (the recurrent weight R [dirs, gates·units, units]):
 * each [rows, cols] slice is treated on its own and, when rows is a multiple of cols, split into
 * square [cols, cols] blocks, each orthogonal. For R that makes every gate's recurrent matrix
 * norm-preserving; one orthonormal vector across the whole tensor would shrink every entry to
 * about 1/(units·√gates) and make the recurrence strongly contractive from the start.
 */
function orthogonal(shape: number[], out: Float32Array, normal: () => number): void {
  const stacked = shape.length === 3;
  const rows = stacked ? shape[1] : (shape[0] ?? 1);
  const cols = stacked ? shape[2] : out.length / Math.max(1, rows);
  const blockRows = stacked && cols > 0 && rows % cols === 0 ? cols : rows;
  const blockSize = blockRows * cols;
  for (let at = 0; at < out.length; at += blockSize) orthogonalMatrix(blockRows, cols, out.subarray(at, at + blockSize), normal);
}

/** Gram–Schmidt on a Gaussian [rows, cols] matrix (or its transpose when it is wider than tall). */
function orthogonalMatrix(rows: number, cols: number, out: Float32Array, normal: () => number): void {
  const tall = rows >= cols;
  const n = tall ? cols : rows; // vectors to orthonormalise
  const len = tall ? rows : cols; // length of each
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(len);
    for (;;) {
      for (let i = 0; i < len; i++) v[i] = normal();
      // Twice, so rounding does not leave the later vectors measurably non-orthogonal.
      for (let pass = 0; pass < 2; pass++)
        for (const u of vs) {
          let dot = 0;
          for (let i = 0; i < len; i++) dot += u[i] * v[i];
          for (let i = 0; i < len; i++) v[i] -= dot * u[i];
        }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let i = 0; i < len; i++) v[i] /= norm;
        break;
      }
    }
    vs.push(v);
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < len; i++) {
      const [r, c] = tall ? [i, k] : [k, i];
      out[r * cols + c] = vs[k][i];
    }
  }
}

/** Initial values for `params`, by name; the same seed gives the same values. */
export function initParams(params: ParamTensor[], seed: number): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const p of params) {
    const out = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    fill(p, out, seed);
    values.set(p.name, out);
  }
  return values;
}
