// dData[idx[j]] += dY[j] along the axis: ScatterElements into zeros with reduction add, so
// repeated indices accumulate.
import { attr } from '../../../onnx/graph';
import { getInt } from '../../../onnx/ops/attrs';
import { zerosLike } from '../emit';
import type { GradRule } from '../types';

export const gatherElements: GradRule = ({ g, node, dy }) => {
  const [data, indices] = node.inputs;
  return [g.op('ScatterElements', [zerosLike(g, data), indices, dy[0]!], { axis: attr.int(getInt(node, 'axis')!), reduction: attr.string('add') })];
};
