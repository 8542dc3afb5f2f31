// dX = ConvTranspose(dY, W), dW[m,c,k] = Σ_{n,o} dY[n,m,o]·X[n,c,o·s + k·d], dB = Σ_{n,o} dY[n,·,o].
// dX for stride 1 and "same" padding is a Conv of dY with the flipped W; dW is a Conv of X with dY taking the batch
// as channels (strides and dilations swap roles).
import { attr, type Graph } from '../../../onnx/graph';
import { getInt } from '../../../onnx/ops/attrs';
import { padsAttr, span, windowGeometry, type WindowGeometry } from '../../../onnx/ops/conv-geometry';
import { allStatic } from '../../../onnx/ops/dims';
import { CompileError, layerSuffix } from '../../errors';
import { ints, rankOf, reduceSum, reshapeTo, shapeOf, transpose } from '../emit';
import type { GradRule } from '../types';

/** Input positions past the last window: ConvTranspose must add them back as output_padding. */
function leftover(geo: WindowGeometry): number[] {
  return geo.input.map((x, i) => x + geo.padsBegin[i] + geo.padsEnd[i] - ((geo.output[i] - 1) * geo.strides[i] + span(geo.kernel[i], geo.dilations[i])));
}

/** W [M, C/group, k...] flipped in space and with in/out channels swapped per group: [C, M/group, k...]. */
function flippedWeights(g: Graph, w: string, group: number): string {
  const [m, cg, ...k] = shapeOf(g, w) as number[];
  const spatial = k.map((_, i) => i + 2);
  const flipped = g.op('Slice', [w, ints(g, k.map(() => -1)), ints(g, k.map(() => -(2 ** 62))), ints(g, spatial), ints(g, k.map(() => -1))]);
  if (group === 1) return transpose(g, flipped, [1, 0, ...spatial]);
  const grouped = g.op('Reshape', [flipped, ints(g, [group, m / group, cg, ...k])]);
  const swapped = transpose(g, grouped, [0, 2, 1, ...spatial.map((a) => a + 1)]);
  return g.op('Reshape', [swapped, ints(g, [group * cg, m / group, ...k])]);
}

function inputGrad(g: Graph, dy: string, w: string, geo: WindowGeometry, group: number): string {
  // Stride 1 and an output as large as the input ("same" padding): a plain convolution of dY with
  // the flipped kernel, as fast as ConvTranspose in onnxruntime (digits-cnn, shapes-cnn). Where
  // the output is smaller ("valid"), that convolution would run over the zero border too, while
  // ConvTranspose touches only real products: the bench CNN's second conv took 950 us as a
  // convolution and 330-400 us as ConvTranspose, the whole step 4.4 -> 3.7 ms.
  const reach = geo.kernel.map((k, i) => span(k, geo.dilations[i]) - 1);
  const pads = [...geo.padsBegin, ...geo.padsEnd].map((p, i) => reach[i % reach.length] - p);
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  if (geo.strides.every((s) => s === 1) && pads.every((p) => p >= 0) && size(geo.input) <= size(geo.output)) {
    return g.op('Conv', [dy, flippedWeights(g, w, group)], {
      kernel_shape: attr.ints(geo.kernel),
      dilations: attr.ints(geo.dilations),
      pads: attr.ints(pads),
      group: attr.int(group),
    });
  }
  return g.op('ConvTranspose', [dy, w], {
    kernel_shape: attr.ints(geo.kernel),
    strides: attr.ints(geo.strides),
    dilations: attr.ints(geo.dilations),
    pads: attr.ints(padsAttr(geo)),
    output_padding: attr.ints(leftover(geo)),
    group: attr.int(group),
  });
}

/**
 * Rows of dY per group when dW's convolution is split over row bands of dY, or 1. That
 * convolution has X's channels as its batch and a tiny output (the kernel), so with one input
 * channel onnxruntime runs it on one thread; as a grouped convolution over G bands (each with the
 * X rows it reaches) its groups share the threads: 650 -> 490 us for the bench CNN's first conv
 * (64 images of 28x28, 6 filters of 5x5) on 2 cores.
 */
function rowBands(channels: number, group: number, dyRows: number): number {
  return group === 1 && channels === 1 && dyRows >= 2 && dyRows % 2 === 0 ? 2 : 1;
}

function weightGrad(g: Graph, x: string, dy: string, geo: WindowGeometry, group: number): string {
  const r = rankOf(g, x);
  const rest = Array.from({ length: r - 2 }, (_, i) => i + 2);
  const [, c, ...spatial] = shapeOf(g, x);
  // X as [C/group, group·N, spatial...]: the batch becomes the channels of each group.
  let xt: string;
  if (group === 1) xt = transpose(g, x, [1, 0, ...rest]);
  else {
    const split = reshapeTo(g, x, [shapeOf(g, x)[0], group, (c as number) / group, ...spatial], x);
    const moved = transpose(g, split, [2, 1, 0, ...rest.map((a) => a + 1)]);
    xt = g.op('Reshape', [moved, ints(g, [(c as number) / group, -1, ...(spatial as number[])])]);
  }
  // Trim end padding the forward never reached, so the result is exactly the kernel size where possible.
  const extra = leftover(geo);
  const padsBegin = [...geo.padsBegin];
  const padsEnd = geo.padsEnd.map((p, i) => Math.max(p - extra[i], 0));
  const bands = rowBands(c as number, group, geo.output[0]);
  let dyt: string;
  if (bands === 1) dyt = transpose(g, dy, [1, 0, ...rest]);
  else {
    // Band b: dY rows [b·rows, (b+1)·rows) and the padded X rows they reach, from b·rows·stride.
    const rows = geo.output[0] / bands;
    const reach = (rows - 1) * geo.strides[0] + span(geo.kernel[0], geo.dilations[0]);
    const needed = (bands - 1) * rows * geo.strides[0] + reach;
    const padded = g.op('Pad', [xt, ints(g, [0, 0, padsBegin[0], ...rest.slice(1).map(() => 0), 0, 0, Math.max(0, needed - padsBegin[0] - geo.input[0]), ...rest.slice(1).map(() => 0)])]);
    const band = (b: number) => g.op('Slice', [padded, ints(g, [b * rows * geo.strides[0]]), ints(g, [b * rows * geo.strides[0] + reach]), ints(g, [2])]);
    xt = g.op('Concat', Array.from({ length: bands }, (_, b) => band(b)), { axis: attr.int(1) });
    const [, o, , ...cols] = shapeOf(g, dy) as number[];
    const banded = g.op('Reshape', [dy, ints(g, [0, o, bands, rows, ...cols])]);
    dyt = g.op('Reshape', [transpose(g, banded, [2, 1, 0, ...rest.map((a) => a + 1)]), ints(g, [bands * o, -1, rows, ...cols])]);
    padsBegin[0] = 0;
    padsEnd[0] = 0;
  }
  const dwt = g.op('Conv', [xt, dyt], {
    kernel_shape: attr.ints(bands === 1 ? geo.output : [geo.output[0] / bands, ...geo.output.slice(1)]),
    strides: attr.ints(geo.dilations),
    dilations: attr.ints(geo.strides),
    pads: attr.ints([...padsBegin, ...padsEnd]),
    group: attr.int(group * bands),
  });
  const summed = bands === 1 ? dwt : g.op('ReduceSum', [reshapeTo(g, dwt, [c, bands, shapeOf(g, dy)[1], ...(shapeOf(g, dwt).slice(2))]), ints(g, [1])], { keepdims: attr.int(0) });
  const got = shapeOf(g, summed).slice(2) as number[];
  const trimmed = got.some((k, i) => k !== geo.kernel[i])
    ? g.op('Slice', [summed, ints(g, rest.map(() => 0)), ints(g, geo.kernel), ints(g, rest)])
    : summed;
  return transpose(g, trimmed, [1, 0, ...rest]);
}

export const conv: GradRule = ({ g, node, dy, needs }) => {
  const [x, w] = node.inputs;
  const spatial = shapeOf(g, x).slice(2);
  const kernel = shapeOf(g, w).slice(2);
  if (!allStatic(spatial) || !allStatic(kernel) || !allStatic(shapeOf(g, x).slice(1, 2))) {
    throw new CompileError(`Conv${layerSuffix(node.layer)}: gradient needs static channel and spatial extents`, { layer: node.layer, op: node.op });
  }
  const geo = windowGeometry(node, spatial, kernel);
  const group = getInt(node, 'group', 1)!;
  const d = dy[0]!;
  const rest = Array.from({ length: spatial.length }, (_, i) => i + 2);
  return [
    needs[0] ? inputGrad(g, d, w, geo, group) : undefined,
    needs[1] ? weightGrad(g, x, d, geo, group) : undefined,
    needs[2] ? reduceSum(g, d, [0, ...rest], false) : undefined,
  ];
};
