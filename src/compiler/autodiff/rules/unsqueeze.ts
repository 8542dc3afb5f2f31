// dX = dY with the inserted unit axes removed.
import { normAxis } from '../../../onnx/ops/attrs';
import { knownNumbers } from '../../../onnx/ops/values';
import { rankOf, squeeze } from '../emit';
import type { GradRule } from '../types';

export const unsqueeze: GradRule = ({ g, node, dy }) => {
  const rank = rankOf(g, node.outputs[0]);
  const axes = knownNumbers(g, node.inputs[1])!.map((a) => normAxis(a, rank));
  return [squeeze(g, dy[0]!, axes)];
};
