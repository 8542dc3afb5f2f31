// dX[argmax(w)] += dY[w] for each window w, using MaxPool's Indices output; ties go to the one
// index MaxPool chose. Windows that cannot overlap write each dX element at most once: MaxUnpool
// (1.3-1.8x faster than the scatter on ORT's CPU kernels, +7-8 % on the bench CNN's step; float only, as
// ORT has no double MaxUnpool); overlapping windows need ScatterElements with reduction add.
import { attr } from '../../../onnx/graph';
import { getInt, getInts, getString } from '../../../onnx/ops/attrs';
import { CompileError, layerSuffix } from '../../errors';
import { ints, reshapeTo, shapeOf, shapeTensor, typeOf, zerosLike } from '../emit';
import type { Node } from '../../../onnx/graph';
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
  if (windowsDisjoint(node) && typeOf(g, x).dtype === 'float32') {
    const dx = g.op('MaxUnpool', [dy[0]!, node.outputs[1], shapeTensor(g, x)], { kernel_shape: attr.ints(getInts(node, 'kernel_shape')!), strides: attr.ints(getInts(node, 'strides') ?? getInts(node, 'kernel_shape')!.map(() => 1)) });
    g.setType(dx, typeOf(g, x).dtype, shapeOf(g, x));
    return [dx];
  }
  const flat = ints(g, [-1]);
  const zeros = g.op('Reshape', [zerosLike(g, x), flat]);
  const indices = g.op('Reshape', [node.outputs[1], flat]);
  const updates = g.op('Reshape', [dy[0]!, flat]);
  const dx = g.op('ScatterElements', [zeros, indices, updates], { axis: attr.int(0), reduction: attr.string('add') });
  return [reshapeTo(g, dx, shapeOf(g, x), x)];
};

/**
 * Whether no input element lies in two windows (every stride at least its kernel) and the
 * windows start at the input's origin (no padding, dilation or ceil mode), which is the case
 * MaxUnpool's output_shape covers.
 */
function windowsDisjoint(node: Node): boolean {
  const kernel = getInts(node, 'kernel_shape') ?? [];
  const strides = getInts(node, 'strides') ?? kernel.map(() => 1);
  const pads = getInts(node, 'pads') ?? [];
  const dilations = getInts(node, 'dilations') ?? [];
  const autoPad = getString(node, 'auto_pad', 'NOTSET');
  return (
    kernel.length > 0 &&
    kernel.every((k, i) => strides[i] >= k) &&
    pads.every((p) => p === 0) &&
    dilations.every((d) => d === 1) &&
    getInt(node, 'ceil_mode', 0) === 0 &&
    (autoPad === 'NOTSET' || autoPad === 'VALID')
  );
}
