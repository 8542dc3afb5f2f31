// dX[i] = Σ over windows w containing i of dY[w] / count(w) (count per count_include_pad).
// Tiled windows: one Expand of the scaled dY; otherwise a depthwise ConvTranspose with a kernel
// of ones after scaling dY by the static per-position 1/count.
import { attr, type Graph } from '../../../onnx/graph';
import { getInt, getInts } from '../../../onnx/ops/attrs';
import { windowGeometry, type WindowGeometry } from '../../../onnx/ops/conv-geometry';
import { allStatic } from '../../../onnx/ops/dims';
import { CompileError, layerSuffix } from '../../errors';
import { floatTensor, ints, reshapeTo, scalar, shapeOf, unsqueeze } from '../emit';
import type { GradRule } from '../types';

/** Per output position, how many elements its window averages (count_include_pad semantics). */
function counts(input: number[], kernel: number[], strides: number[], padsBegin: number[], padsEnd: number[], output: number[], includePad: boolean): number[] {
  const perAxis = input.map((n, i) =>
    Array.from({ length: output[i] }, (_, o) => {
      const start = o * strides[i] - padsBegin[i];
      const end = Math.min(start + kernel[i], n + padsEnd[i]);
      return includePad ? end - start : Math.min(end, n) - Math.max(start, 0);
    }),
  );
  let out = [1];
  for (const axis of perAxis) out = out.flatMap((c) => axis.map((a) => c * a));
  return out;
}

/**
 * Windows that tile the input exactly once (stride = kernel, no padding): dY/count repeated
 * over each window by one Expand, then a free reshape (and zeros for an uncovered tail).
 */
function tiledGrad(g: Graph, x: string, scaled: string, geo: WindowGeometry): string {
  const n = geo.kernel.length;
  const wide = unsqueeze(g, scaled, geo.kernel.map((_, i) => 3 + 2 * i));
  const reps = g.op('Expand', [wide, ints(g, [1, 1, ...geo.kernel.flatMap((k) => [1, k])])]);
  const [batch, channels] = shapeOf(g, x);
  const merged = reshapeTo(g, reps, [batch, channels, ...geo.output.map((o, i) => o * geo.kernel[i])], x);
  const tail = geo.input.map((d, i) => d - geo.output[i] * geo.kernel[i]);
  return tail.some((t) => t > 0) ? g.op('Pad', [merged, ints(g, [...new Array<number>(n + 2).fill(0), 0, 0, ...tail])]) : merged;
}

export const averagePool: GradRule = ({ g, node, dy, dtype }) => {
  const x = node.inputs[0];
  const [, channels, ...spatial] = shapeOf(g, x);
  const kernel = getInts(node, 'kernel_shape')!;
  if (!allStatic(spatial) || typeof channels !== 'number' || getInts(node, 'dilations')?.some((d) => d !== 1)) {
    throw new CompileError(`AveragePool${layerSuffix(node.layer)}: gradient needs static channels and spatial extents, and no dilation`, { layer: node.layer, op: node.op });
  }
  const geo = windowGeometry(node, spatial, kernel);
  const includePad = getInt(node, 'count_include_pad') !== 0;
  const scale = counts(spatial, kernel, geo.strides, geo.padsBegin, geo.padsEnd, geo.output, includePad).map((c) => 1 / c);
  const tiled = geo.strides.every((st, i) => st === kernel[i]) && [...geo.padsBegin, ...geo.padsEnd].every((p) => p === 0) && geo.output.every((o, i) => o * kernel[i] <= spatial[i]);
  if (tiled) return [tiledGrad(g, x, g.op('Mul', [dy[0]!, scalar(g, dtype, scale[0])]), geo)];
  const scaled = g.op('Mul', [dy[0]!, floatTensor(g, dtype, scale, geo.output)]);
  // In ceil mode the last window may run past the end padding: pad further so the transposed
  // conv's output is cut to the input, then add back any input positions no window reached.
  const padsEnd = geo.padsEnd.map((p, i) => Math.max(p, (geo.output[i] - 1) * geo.strides[i] + kernel[i] - spatial[i] - geo.padsBegin[i]));
  const outPad = spatial.map((n, i) => n + geo.padsBegin[i] + padsEnd[i] - ((geo.output[i] - 1) * geo.strides[i] + kernel[i]));
  const ones = floatTensor(g, dtype, new Array<number>(channels * kernel.reduce((a, b) => a * b, 1)).fill(1), [channels, 1, ...kernel]);
  return [
    g.op('ConvTranspose', [scaled, ones], {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(geo.strides),
      pads: attr.ints([...geo.padsBegin, ...padsEnd]),
      output_padding: attr.ints(outPad),
      group: attr.int(channels),
    }),
  ];
};
