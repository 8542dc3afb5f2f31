// Type inference for MatMul (numpy semantics: 1-D operands get a dimension added and removed,
// batch dimensions broadcast) and Gemm.
import type { Dim, TypeInferer } from '../graph';
import { getInt } from './attrs';
import { formatShape, isStatic, sameDim } from './dims';
import { broadcastShapes, inType, shapeError } from './infer-util';

function checkInner(node: Parameters<TypeInferer>[0], k1: Dim, k2: Dim, a: Dim[], b: Dim[]): void {
  if (isStatic(k1) && isStatic(k2) && !sameDim(k1, k2)) {
    throw shapeError(node, `inner dimensions differ: ${formatShape(a)} x ${formatShape(b)}`);
  }
}

export const linalgInferers: Record<string, TypeInferer> = {
  MatMul: (node, g) => {
    const a = inType(node, g, 0);
    const b = inType(node, g, 1);
    if (!a || !b) return [];
    if (a.shape.length === 0 || b.shape.length === 0) throw shapeError(node, 'operands must have rank >= 1');
    const A = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
    const B = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
    checkInner(node, A[A.length - 1], B[B.length - 2], a.shape, b.shape);
    const batch = broadcastShapes(node, [A.slice(0, -2), B.slice(0, -2)]);
    const out = [...batch];
    if (a.shape.length > 1) out.push(A[A.length - 2]);
    if (b.shape.length > 1) out.push(B[B.length - 1]);
    return [{ dtype: a.dtype, shape: out }];
  },

  Gemm: (node, g) => {
    const a = inType(node, g, 0);
    const b = inType(node, g, 1);
    if (!a || !b) return [];
    if (a.shape.length !== 2 || b.shape.length !== 2) throw shapeError(node, 'operands must be 2-D');
    const [m, k1] = getInt(node, 'transA') ? [a.shape[1], a.shape[0]] : a.shape;
    const [k2, n] = getInt(node, 'transB') ? [b.shape[1], b.shape[0]] : b.shape;
    checkInner(node, k1, k2, a.shape, b.shape);
    const c = inType(node, g, 2);
    if (c) broadcastShapes(node, [[m, n], c.shape]);
    return [{ dtype: a.dtype, shape: [m, n] }];
  },
};
