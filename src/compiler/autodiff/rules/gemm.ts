// Y = α·A'·B' + β·C with A' = transA ? Aᵀ : A: dA' = α·dY·B'ᵀ, dB' = α·A'ᵀ·dY, dC = β·dY.
import { attr } from '../../../onnx/graph';
import { getFloat, getInt } from '../../../onnx/ops/attrs';
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const gemm: GradRule = ({ g, node, dy, needs, dtype }) => {
  const [a, b] = node.inputs;
  const d = dy[0]!;
  const alpha = getFloat(node, 'alpha')!;
  const beta = getFloat(node, 'beta')!;
  const ta = getInt(node, 'transA') ? 1 : 0;
  const tb = getInt(node, 'transB') ? 1 : 0;
  const gemm = (x: string, y: string, tx: number, ty: number) =>
    g.op('Gemm', [x, y], { transA: attr.int(tx), transB: attr.int(ty), ...(alpha !== 1 ? { alpha: attr.float(alpha) } : {}) });
  // Each case folds the outer transpose into Gemm's flags: (X·Y)ᵀ = Yᵀ·Xᵀ.
  const da = !needs[0] ? undefined : ta ? gemm(b, d, tb, 1) : gemm(d, b, 0, tb ? 0 : 1);
  const db = !needs[1] ? undefined : tb ? gemm(d, a, 1, ta) : gemm(a, d, ta ? 0 : 1, 0);
  const dc = !needs[2] ? undefined : beta === 1 ? d : g.op('Mul', [d, scalar(g, dtype, beta)]);
  return [da, db, dc];
};
