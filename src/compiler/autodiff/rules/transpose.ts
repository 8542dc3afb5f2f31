// dX = dY transposed by the inverse permutation.
import { getInts } from '../../../onnx/ops/attrs';
import { inversePerm, rankOf, transpose as transposeOp } from '../emit';
import type { GradRule } from '../types';

export const transpose: GradRule = ({ g, node, dy }) => {
  const r = rankOf(g, node.inputs[0]);
  const perm = getInts(node, 'perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  return [transposeOp(g, dy[0]!, inversePerm(perm))];
};
