// Shared by ReduceMax/ReduceMin/GlobalMaxPool: routes dY to the elements equal to the result,
// dividing it between ties so the total stays dY (a valid subgradient either way).
import { attr } from '../../onnx/graph';
import { TO_ONNX } from '../../onnx/ops/infer-util';
import { keptDims, reduceSum } from './emit';
import type { GradContext } from './types';

/** `axes`: the reduced axes when the op keeps them as size 1 (GlobalMaxPool); else read from the Reduce node. */
export function extremumGrad({ g, node, dy, dtype }: GradContext, axes?: number[]): string {
  const x = node.inputs[0];
  const kept = (v: string) => (axes ? { axes, kept: v } : keptDims(g, node, v));
  const { axes: reduced, kept: y } = kept(node.outputs[0]);
  const mask = g.op('Cast', [g.op('Equal', [x, y])], { to: attr.int(TO_ONNX[dtype]) });
  const share = g.op('Div', [kept(dy[0]!).kept, reduceSum(g, mask, reduced, true)]);
  return g.op('Mul', [mask, share]);
}
