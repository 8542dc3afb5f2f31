// dX = dY cast back to X's float type.
import { attr } from '../../../onnx/graph';
import { TO_ONNX } from '../../../onnx/ops/infer-util';
import { typeOf } from '../emit';
import type { GradRule } from '../types';

export const castLike: GradRule = ({ g, node, dy }) => {
  const from = typeOf(g, node.inputs[0]).dtype;
  return [typeOf(g, dy[0]!).dtype === from ? dy[0] : g.op('Cast', [dy[0]!], { to: attr.int(TO_ONNX[from]) })];
};
