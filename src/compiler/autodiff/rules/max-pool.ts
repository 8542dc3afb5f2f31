// dX[argmax(w)] += dY[w] for each window w, using MaxPool's Indices output; ScatterElements with
// reduction add accumulates overlapping windows; ties go to the one index MaxPool chose.
import { attr } from '../../../onnx/graph';
import { getInt } from '../../../onnx/ops/attrs';
import { CompileError, layerSuffix } from '../../errors';
import { ints, reshapeTo, shapeOf, zerosLike } from '../emit';
import type { GradRule } from '../types';

export const maxPool: GradRule = ({ g, node, dy }) => {
  const x = node.inputs[0];
  if (getInt(node, 'storage_order', 0)) {
    throw new CompileError(`MaxPool${layerSuffix(node.layer)}: no gradient rule for storage_order=1`, { layer: node.layer, op: node.op });
  }
  // Ask the forward node for its argmax indices when the lowering did not.
  if (!node.outputs[1]) {
    node.outputs[1] = g.fresh(`${node.outputs[0]}_argmax`);
    g.setType(node.outputs[1], 'int64', shapeOf(g, node.outputs[0]));
  }
  const flat = ints(g, [-1]);
  const zeros = g.op('Reshape', [zerosLike(g, x), flat]);
  const indices = g.op('Reshape', [node.outputs[1], flat]);
  const updates = g.op('Reshape', [dy[0]!, flat]);
  const dx = g.op('ScatterElements', [zeros, indices, updates], { axis: attr.int(0), reduction: attr.string('add') });
  return [reshapeTo(g, dx, shapeOf(g, x), x)];
};
