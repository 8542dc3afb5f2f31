// dX = cumulative sum of dY in the opposite direction (same exclusivity).
import { attr } from '../../../onnx/graph';
import { getInt } from '../../../onnx/ops/attrs';
import type { GradRule } from '../types';

export const cumSum: GradRule = ({ g, node, dy }) => [
  g.op('CumSum', [dy[0]!, node.inputs[1]], { exclusive: attr.int(getInt(node, 'exclusive', 0)!), reverse: attr.int(getInt(node, 'reverse', 0) ? 0 : 1) }),
];
