// dX = dY with the squeezed unit axes put back.
import { normAxis } from '../../../onnx/ops/attrs';
import { knownNumbers } from '../../../onnx/ops/values';
import { shapeOf, unsqueeze } from '../emit';
import type { GradRule } from '../types';

export const squeeze: GradRule = ({ g, node, dy }) => {
  const shape = shapeOf(g, node.inputs[0]);
  const given = node.inputs[1] ? knownNumbers(g, node.inputs[1]) : undefined;
  const axes = given ? given.map((a) => normAxis(a, shape.length)) : shape.flatMap((d, i) => (d === 1 ? [i] : []));
  return [unsqueeze(g, dy[0]!, [...axes].sort((a, b) => a - b))];
};
