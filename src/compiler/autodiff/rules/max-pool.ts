// dX[argmax(w)] += dY[w] for each window w. Windows that tile the input (stride = kernel, no
// padding): dX = [X = up(Y)] · up(dY / ties), up() repeating each pooled value over its window, so
// the forward MaxPool needs no Indices output (onnxruntime's Indices MaxPool is its slow path:
// 630 against 40 us on the bench CNN's first pool, 457 against 12 us on its second) and ties share
// dY, as for ReduceMax. Other disjoint windows: MaxUnpool of dY at MaxPool's indices; overlapping
// windows: ScatterElements with reduction add (ties go to the one index MaxPool chose).
import { attr, type Graph, type Node } from '../../../onnx/graph';
import { getInt, getInts, getString } from '../../../onnx/ops/attrs';
import { CompileError, layerSuffix } from '../../errors';
import { floatTensor, ints, reshapeTo, scalar, shapeOf, shapeTensor, typeOf, zerosLike } from '../emit';
import { allStatic } from '../../../onnx/ops/dims';
import type { GradRule } from '../types';

export const maxPool: GradRule = ({ g, node, dy }) => {
  const x = node.inputs[0];
  if (getInt(node, 'storage_order', 0)) {
    throw new CompileError(`MaxPool${layerSuffix(node.layer)}: no gradient rule for storage_order=1`, { layer: node.layer, op: node.op });
  }
  if (windowsTile(g, node) && typeOf(g, x).dtype === 'float32' && !node.outputs[1]) return [tiledGrad(g, node, dy[0]!)];
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

/** Disjoint windows with stride = kernel over static spatial extents: every window's values sit in one block. */
function windowsTile(g: Graph, node: Node): boolean {
  const kernel = getInts(node, 'kernel_shape') ?? [];
  const strides = getInts(node, 'strides') ?? kernel.map(() => 1);
  return windowsDisjoint(node) && kernel.every((k, i) => strides[i] === k) && allStatic(shapeOf(g, node.inputs[0]).slice(1));
}

/**
 * A function giving `v` [N, C, o...] with each value repeated over its k-window: [N, C, o·k...].
 * The last axis by a MatMul with a 0/1 matrix (exact: one 1 per column; a repeat of single
 * elements is slow in onnxruntime's Expand and Concat), built once; the others by a Concat of k
 * copies of whole rows.
 */
function windowRepeater(g: Graph, pooled: number[], kernel: number[]): (v: string) => string {
  const last = pooled.length - 1;
  const [o, k] = [pooled[last], kernel[last]];
  const ones = new Array<number>(o * o * k).fill(0);
  for (let j = 0; j < o; j++) for (let r = 0; r < k; r++) ones[j * o * k + j * k + r] = 1;
  const spread = floatTensor(g, 'float32', ones, [o, o * k]);
  return (v) => {
    let out = g.op('MatMul', [v, spread]);
    let inner = o * k;
    for (let a = last - 1; a >= 0; a--) {
      if (kernel[a] > 1) {
        const rows = g.op('Reshape', [out, ints(g, [-1, pooled[a], 1, inner])]);
        out = g.op('Concat', new Array<string>(kernel[a]).fill(rows), { axis: attr.int(2) });
      }
      inner *= pooled[a] * kernel[a];
    }
    return out;
  };
}

function tiledGrad(g: Graph, node: Node, dy: string): string {
  const [x, y] = [node.inputs[0], node.outputs[0]];
  const kernel = getInts(node, 'kernel_shape')!;
  const spatial = shapeOf(g, x).slice(2) as number[];
  const pooled = shapeOf(g, y).slice(2) as number[];
  const covered = pooled.map((o, i) => o * kernel[i]);
  const axes = spatial.map((_, i) => i + 2);
  // Rows and columns past the last window get no gradient: compare only the covered block.
  const partial = covered.some((c, i) => c < spatial[i]);
  const xc = partial ? g.op('Slice', [x, ints(g, axes.map(() => 0)), ints(g, covered), ints(g, axes)]) : x;
  const repeat = windowRepeater(g, pooled, kernel);
  const block = (v: string) => g.op('Reshape', [repeat(v), shapeTensor(g, xc)]);
  const mask = g.op('Cast', [g.op('Equal', [xc, block(y)])], { to: attr.int(1) });
  // Ties per window: its mean of the mask times the window size, rounded back to a whole count.
  const size = kernel.reduce((a, b) => a * b, 1);
  const window = { kernel_shape: attr.ints(kernel), strides: attr.ints(kernel) };
  const ties = g.op('Round', [g.op('Mul', [g.op('AveragePool', [mask], window), scalar(g, 'float32', size)])]);
  const dxc = g.op('Mul', [mask, block(g.op('Div', [dy, ties]))]);
  if (!partial) return dxc;
  const dx = g.op('Pad', [dxc, ints(g, [0, 0, ...axes.map(() => 0), 0, 0, ...covered.map((c, i) => spatial[i] - c)])]);
  g.setType(dx, 'float32', shapeOf(g, x));
  return dx;
}
