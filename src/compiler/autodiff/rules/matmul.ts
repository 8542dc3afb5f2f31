// dA = dY · Bᵀ, dB = Aᵀ · dY (1-D operands act as a row/column that is added and removed again).
import type { Graph } from '../../../onnx/graph';
import { attr } from '../../../onnx/graph';
import { rankOf, reshapeTo, shapeOf, squeeze, transposeLast2, unsqueeze } from '../emit';
import type { GradRule } from '../types';

/** `v` with all leading axes folded into rows: [..., n] -> [rows, n]. */
function rows(g: Graph, v: string): string {
  const r = rankOf(g, v);
  return r === 2 ? v : g.op('Flatten', [v], { axis: attr.int(r - 1) });
}

/** dW for a 2-D right operand: all rows of A and dY in one Gemm (no batch reduction needed). */
function weightGrad(g: Graph, a: string, d: string): string {
  return g.op('Gemm', [rows(g, a), rows(g, d)], { transA: attr.int(1) });
}

/** dA for a 2-D right operand B: dY · Bᵀ as one Gemm over all rows. */
function inputGrad(g: Graph, a: string, b: string, d: string): string {
  const da = g.op('Gemm', [rows(g, d), b], { transB: attr.int(1) });
  return reshapeTo(g, da, shapeOf(g, a), a);
}

export const matmul: GradRule = ({ g, node, dy, needs }) => {
  const [a, b] = node.inputs;
  const d = dy[0]!;
  const ra = rankOf(g, a);
  const rb = rankOf(g, b);
  if (ra === 1 && rb === 1) return [needs[0] ? g.op('Mul', [d, b]) : undefined, needs[1] ? g.op('Mul', [d, a]) : undefined];
  if (rb === 2 && ra >= 2) {
    return [needs[0] ? inputGrad(g, a, b, d) : undefined, needs[1] ? weightGrad(g, a, d) : undefined];
  }
  // General batched case: lift 1-D operands (and dY) to matrices, then drop the unit axes.
  const A = ra === 1 ? unsqueeze(g, a, [0]) : a;
  const B = rb === 1 ? unsqueeze(g, b, [1]) : b;
  let D = d;
  if (rb === 1) D = unsqueeze(g, D, [rankOf(g, D)]);
  if (ra === 1) D = unsqueeze(g, D, [rankOf(g, D) - 1]);
  let da: string | undefined;
  let db: string | undefined;
  if (needs[0]) {
    da = g.op('MatMul', [D, transposeLast2(g, B)]);
    if (ra === 1) da = squeeze(g, da, [rankOf(g, da) - 2]);
  }
  if (needs[1]) {
    db = g.op('MatMul', [transposeLast2(g, A), D]);
    if (rb === 1) db = squeeze(g, db, [rankOf(g, db) - 1]);
  }
  return [da, db];
};
