// Training mode: dX = dY·mask/(1 - ratio); inference mode (no training_mode input, or false): dX = dY.
import { attr } from '../../../onnx/graph';
import { TO_ONNX } from '../../../onnx/ops/infer-util';
import { knownScalar } from '../../../onnx/ops/values';
import { scalar } from '../emit';
import type { GradRule } from '../types';

export const dropout: GradRule = ({ g, node, dy, dtype }) => {
  const [, ratioIn, trainingIn] = node.inputs;
  if (!trainingIn || knownScalar(g, trainingIn) === 0) return [dy[0]];
  // The mask output is needed; add it to the forward node when the lowering left it off.
  if (!node.outputs[1]) {
    node.outputs[1] = g.fresh(`${node.outputs[0]}_mask`);
    g.setType(node.outputs[1], 'bool', g.shapeOf(node.outputs[0]));
  }
  const ratio = ratioIn ? knownScalar(g, ratioIn) : 0.5;
  const keep = g.op('Cast', [node.outputs[1]], { to: attr.int(TO_ONNX[dtype]) });
  const scale =
    ratio !== undefined
      ? scalar(g, dtype, 1 / (1 - ratio))
      : g.op('Div', [scalar(g, dtype, 1), g.op('Sub', [scalar(g, dtype, 1), g.op('Cast', [ratioIn], { to: attr.int(TO_ONNX[dtype]) })])]);
  return [g.op('Mul', [dy[0]!, g.op('Mul', [keep, scale])])];
};
