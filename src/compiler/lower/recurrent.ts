// SimpleRNN, LSTM and GRU unrolled over the (static) time axis with MatMul / Gather / Split /
// Concat primitives, which the autodiff differentiates; ONNX's fused RNN ops have no gradient
// rule. Parameters follow ONNX's layouts: W [dirs, g*u, D], R [dirs, g*u, u], B [dirs, 2*g*u]
// (Wb then Rb), gate order LSTM i,o,f,c and GRU z,r,h. The GRU applies the reset gate after
// the recurrent product (ONNX linear_before_reset = 1). The initial state is zero, so the first
// step skips the recurrent product (no batch-sized zeros needed). The LSTM adds a constant 1 to
// the forget gate's pre-activation (TensorFlow LSTMCell's forget_bias; Jozefowicz et al. 2015):
// with zero-initialised biases the cell then starts out remembering (forget gate ~0.73, not 0.5),
// which is what lets it learn long-range dependencies reliably.
import { attr } from '../../onnx/graph';
import type { Graph } from '../../onnx/graph';
import type { LowerContext, Lowering } from './context';
import { boolAttr, intAttr } from './attrs';

type CellKind = 'SimpleRNN' | 'LSTM' | 'GRU';
const GATES: Record<CellKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/** Columns [from*u, to*u) of the last axis of a [N, k*u] value. */
function cols(g: Graph, v: string, u: number, from: number, to: number, axis: number): string {
  return g.op('Slice', [v, g.ints([from * u]), g.ints([to * u]), g.ints([axis])]);
}

/**
 * `v` cut along `axis` into consecutive pieces of the given sizes by one Split: its gradient is
 * one Concat, where a Slice or Gather per piece would give each piece a full-size scatter and the
 * fan-out a sum of them all (measured: 44 % of the bench LSTM's kernel time).
 */
function pieces(g: Graph, v: string, sizes: number[], axis: number): string[] {
  if (sizes.length === 1) return [v];
  const equal = sizes.every((n) => n === sizes[0]);
  return g.addNode('Split', equal ? [v] : [v, g.ints(sizes)], { axis: attr.int(axis) }, sizes.length);
}

/** Added to the LSTM gate pre-activations (order i, o, f, c): 1 on the forget gate. */
export const LSTM_FORGET_BIAS = 1;

function forgetBias(units: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const v = dtype === 'float64' ? new Float64Array(4 * units) : new Float32Array(4 * units);
  v.fill(LSTM_FORGET_BIAS, 2 * units, 3 * units);
  return v;
}

interface Direction {
  /** Per-step input projections x_t W^T + biases, [N, g*u] each, in time order. */
  xs: string[];
  /** R^T for this direction, [u, g*u]. */
  rT: string;
  /** GRU only: the recurrent bias of the candidate gate, [u]. */
  rbh?: string;
}

function direction(ctx: LowerContext, kind: CellKind, d: number, units: number): Direction {
  const { g } = ctx;
  const gu = GATES[kind] * units;
  const steps = ctx.layer.inputs[0].shape[0];
  const pick = (name: string) => g.op('Gather', [ctx.param(name), g.ints([d], true)], { axis: attr.int(0) });
  const w = pick('W');
  const b = pick('B');
  const wb = cols(g, b, gu, 0, 1, 0);
  const rb = cols(g, b, gu, 1, 2, 0);
  // The GRU keeps the candidate's recurrent bias inside r * (h R^T + Rbh); other biases fold into the input side.
  let folded: string;
  if (kind === 'GRU') {
    const zeros = g.constant(ctx.dtype === 'float64' ? new Float64Array(units) : new Float32Array(units), [units], 'zeros');
    folded = g.op('Add', [wb, g.op('Concat', [cols(g, rb, units, 0, 2, 0), zeros], { axis: attr.int(0) })]);
  } else if (kind === 'LSTM') {
    folded = g.op('Add', [g.op('Add', [wb, rb]), g.constant(forgetBias(units, ctx.dtype), [gu], 'forget_bias')]);
  } else {
    folded = g.op('Add', [wb, rb]);
  }
  const projected = g.op('Add', [g.op('MatMul', [ctx.inputs[0], g.op('Transpose', [w], { perm: attr.ints([1, 0]) })]), folded]);
  const xs = pieces(g, projected, new Array<number>(steps).fill(1), 1).map((x) => g.op('Squeeze', [x, g.ints([1])]));
  return { xs, rT: g.op('Transpose', [pick('R')], { perm: attr.ints([1, 0]) }), rbh: kind === 'GRU' ? cols(g, rb, units, 2, 3, 0) : undefined };
}

/** Runs one direction; returns the hidden state after each step, indexed by time. */
function run(ctx: LowerContext, kind: CellKind, dir: Direction, units: number, reverse: boolean): string[] {
  const { g } = ctx;
  const steps = dir.xs.length;
  const hs: string[] = new Array<string>(steps);
  let h: string | undefined;
  let c: string | undefined;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const x = dir.xs[t];
    const rec = h === undefined ? undefined : g.op('MatMul', [h, dir.rT]);
    if (kind === 'SimpleRNN') {
      h = g.op('Tanh', [rec ? g.op('Add', [x, rec]) : x]);
    } else if (kind === 'LSTM') {
      const [zi, zo, zf, zc] = pieces(g, rec ? g.op('Add', [x, rec]) : x, [units, units, units, units], 1);
      const i = g.op('Sigmoid', [zi]);
      const o = g.op('Sigmoid', [zo]);
      const cand = g.op('Tanh', [zc]);
      const ic = g.op('Mul', [i, cand]);
      c = c === undefined ? ic : g.op('Add', [g.op('Mul', [g.op('Sigmoid', [zf]), c]), ic]);
      h = g.op('Mul', [o, g.op('Tanh', [c])]);
    } else {
      const [xzr, xh] = pieces(g, x, [2 * units, units], 1);
      const recParts = rec ? pieces(g, rec, [2 * units, units], 1) : undefined;
      const zr = recParts ? g.op('Add', [xzr, recParts[0]]) : xzr;
      const [zz, zrr] = pieces(g, zr, [units, units], 1);
      const z = g.op('Sigmoid', [zz]);
      const r = g.op('Sigmoid', [zrr]);
      const recH = recParts ? g.op('Add', [recParts[1], dir.rbh!]) : dir.rbh!;
      const n = g.op('Tanh', [g.op('Add', [xh, g.op('Mul', [r, recH])])]);
      // h' = (1 - z) n + z h = n - z n + z h.
      const fresh = g.op('Sub', [n, g.op('Mul', [z, n])]);
      h = h === undefined ? fresh : g.op('Add', [fresh, g.op('Mul', [z, h])]);
    }
    hs[t] = h;
  }
  return hs;
}

const recurrent = (kind: CellKind): Lowering => (ctx) => {
  const { g, layer } = ctx;
  const units = intAttr(layer, 'units');
  const bidirectional = boolAttr(layer, 'bidirectional', false);
  const sequences = boolAttr(layer, 'return_sequences', false);
  const dirs = bidirectional ? [false, true] : [false];
  const outs = dirs.map((reverse, d) => {
    const hs = run(ctx, kind, direction(ctx, kind, d, units), units, reverse);
    if (!sequences) return reverse ? hs[0] : hs[hs.length - 1];
    return g.op('Concat', hs.map((h) => g.op('Unsqueeze', [h, g.ints([1])])), { axis: attr.int(1) });
  });
  const axis = sequences ? 2 : 1;
  return { output: outs.length === 1 ? outs[0] : g.op('Concat', outs, { axis: attr.int(axis) }) };
};

export const recurrentLowerings: Record<string, Lowering> = {
  SimpleRNN: recurrent('SimpleRNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
};
