// Plain-loop JavaScript references for the sequence lowerings (float64, written for clarity):
// recurrent cells in ONNX's parameter layout, LayerNorm, self-attention, positional codes.
import type { T } from '../compiler/reference';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** y[j] = sum_i m[j, i] x[i] for a row-major [rows, cols] block of `m` starting at `off`. */
function matVec(m: number[], off: number, cols: number, rows: number, x: number[]): number[] {
  return Array.from({ length: rows }, (_, j) => {
    let s = 0;
    for (let i = 0; i < cols; i++) s += m[off + j * cols + i] * x[i];
    return s;
  });
}

export interface RecurrentOpts {
  kind: 'SimpleRNN' | 'LSTM' | 'GRU';
  units: number;
  bidirectional: boolean;
  returnSequences: boolean;
}

const GATES = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/** x [N, T, D], W [dirs, g*u, D], R [dirs, g*u, u], B [dirs, 2*g*u]. */
export function recurrent(x: T, w: T, r: T, b: T, o: RecurrentOpts): T {
  const [n, steps, d] = x.shape;
  const u = o.units;
  const gu = GATES[o.kind] * u;
  const dirs = o.bidirectional ? 2 : 1;
  const out: number[] = [];
  const perSample: number[][][][] = []; // [sample][dir][t] -> h
  for (let s = 0; s < n; s++) {
    perSample.push([]);
    for (let dir = 0; dir < dirs; dir++) {
      const hs: number[][] = new Array<number[]>(steps);
      let h = new Array<number>(u).fill(0);
      let c = new Array<number>(u).fill(0);
      for (let k = 0; k < steps; k++) {
        const t = dir === 1 ? steps - 1 - k : k;
        const xt = x.data.slice((s * steps + t) * d, (s * steps + t + 1) * d);
        const wx = matVec(w.data, dir * gu * d, d, gu, xt);
        const rh = matVec(r.data, dir * gu * u, u, gu, h);
        const wb = (j: number) => b.data[dir * 2 * gu + j];
        const rb = (j: number) => b.data[dir * 2 * gu + gu + j];
        const pre = (j: number) => wx[j] + wb(j) + rh[j] + rb(j);
        if (o.kind === 'SimpleRNN') {
          h = h.map((_, j) => Math.tanh(pre(j)));
        } else if (o.kind === 'LSTM') {
          // gates i, o, f, c; the forget gate gets the constant forget bias 1
          const nc = c.map((cj, j) => sigmoid(pre(2 * u + j) + 1) * cj + sigmoid(pre(j)) * Math.tanh(pre(3 * u + j)));
          h = nc.map((cj, j) => sigmoid(pre(u + j)) * Math.tanh(cj));
          c = nc;
        } else {
          // gates z, r, h; reset applied after the recurrent product (linear_before_reset = 1)
          h = h.map((hj, j) => {
            const z = sigmoid(pre(j));
            const rr = sigmoid(pre(u + j));
            const cand = Math.tanh(wx[2 * u + j] + wb(2 * u + j) + rr * (rh[2 * u + j] + rb(2 * u + j)));
            return (1 - z) * cand + z * hj;
          });
        }
        hs[t] = h;
      }
      perSample[s].push(hs);
    }
  }
  for (let s = 0; s < n; s++) {
    if (o.returnSequences) {
      for (let t = 0; t < steps; t++) for (let dir = 0; dir < dirs; dir++) out.push(...perSample[s][dir][t]);
    } else {
      for (let dir = 0; dir < dirs; dir++) out.push(...perSample[s][dir][dir === 1 ? 0 : steps - 1]);
    }
  }
  const width = dirs * u;
  return { shape: o.returnSequences ? [n, steps, width] : [n, width], data: out };
}

/** LayerNorm over the last axis. */
export function layerNorm(x: T, gamma: number[], beta: number[], eps: number): T {
  const d = x.shape[x.shape.length - 1];
  const out: number[] = [];
  for (let r = 0; r < x.data.length / d; r++) {
    const row = x.data.slice(r * d, (r + 1) * d);
    const mean = row.reduce((a, v) => a + v, 0) / d;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / d;
    row.forEach((v, j) => out.push(((v - mean) / Math.sqrt(variance + eps)) * gamma[j] + beta[j]));
  }
  return { shape: x.shape, data: out };
}

/** x [N, T, D] times w [D, E] plus b [E]. */
function project(x: number[], rows: number, w: T, b: T): number[] {
  const [d, e] = w.shape;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let j = 0; j < e; j++) {
    let s = b.data[j];
    for (let i = 0; i < d; i++) s += x[r * d + i] * w.data[i * e + j];
    out.push(s);
  }
  return out;
}

export interface AttentionWeights {
  Wq: T; bq: T; Wk: T; bk: T; Wv: T; bv: T; Wo: T; bo: T;
}

/** Self-attention of x [N, T, D] with `heads` heads of `keyDim`. */
export function selfAttention(x: T, p: AttentionWeights, heads: number, keyDim: number, causal: boolean): T {
  const [n, steps] = x.shape;
  const inner = heads * keyDim;
  const out: number[] = [];
  for (let s = 0; s < n; s++) {
    const xs = x.data.slice(s * steps * x.shape[2], (s + 1) * steps * x.shape[2]);
    const q = project(xs, steps, p.Wq, p.bq);
    const k = project(xs, steps, p.Wk, p.bk);
    const v = project(xs, steps, p.Wv, p.bv);
    const context = new Array<number>(steps * inner).fill(0);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < steps; i++) {
        const limit = causal ? i + 1 : steps;
        const scores: number[] = [];
        for (let j = 0; j < limit; j++) {
          let dot = 0;
          for (let c = 0; c < keyDim; c++) dot += q[i * inner + h * keyDim + c] * k[j * inner + h * keyDim + c];
          scores.push(dot / Math.sqrt(keyDim));
        }
        const m = Math.max(...scores);
        const e = scores.map((v2) => Math.exp(v2 - m));
        const z = e.reduce((a, v2) => a + v2, 0);
        for (let j = 0; j < limit; j++) for (let c = 0; c < keyDim; c++) context[i * inner + h * keyDim + c] += (e[j] / z) * v[j * inner + h * keyDim + c];
      }
    }
    out.push(...project(context, steps, p.Wo, p.bo));
  }
  return { shape: x.shape, data: out };
}

/** Sinusoidal code [T, D]: sin(t / 10000^(2i/D)) at column 2i, cos at 2i + 1. */
export function sinusoid(steps: number, width: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < steps; t++) for (let j = 0; j < width; j++) {
    const angle = t / Math.pow(10000, (2 * Math.floor(j / 2)) / width);
    out.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
  }
  return out;
}
