// dX = dY at the sliced positions, 0 elsewhere: reversed for negative steps, spread out with
// zeros between elements for steps > 1, then padded to X's extents.
import type { Graph } from '../../../onnx/graph';
import { sliceAxes, type AxisSlice } from '../../../onnx/ops/infer-shape';
import { CompileError, layerSuffix } from '../../errors';
import { ints, rankOf, reshapeTo, shapeOf, unsqueeze, zerosLike } from '../emit';
import type { GradRule } from '../types';

/** Reverses `v` along `axis`. */
function reverse(g: Graph, v: string, axis: number): string {
  return g.op('Slice', [v, ints(g, [-1]), ints(g, [-(2 ** 62)]), ints(g, [axis]), ints(g, [-1])]);
}

/** Inserts step - 1 zeros after each element along `axis`, keeping `keep` elements in all. */
function spread(g: Graph, v: string, axis: number, step: number, keep: number): string {
  const r = rankOf(g, v);
  const pads = new Array<number>(2 * (r + 1)).fill(0);
  pads[r + 1 + axis + 1] = step - 1;
  const padded = g.op('Pad', [unsqueeze(g, v, [axis + 1]), ints(g, pads)]);
  const merged = shapeOf(g, v).map((d, i) => (i === axis ? (d as number) * step : d));
  const flat = reshapeTo(g, padded, merged);
  const cut = new Array<number>(2 * r).fill(0);
  cut[r + axis] = keep - (merged[axis] as number);
  return cut[r + axis] === 0 ? flat : g.op('Pad', [flat, ints(g, cut)]);
}

export const slice: GradRule = ({ g, node, dy }) => {
  const x = node.inputs[0];
  const shape = shapeOf(g, x);
  const axes = sliceAxes(node, g, shape);
  if (!axes) throw new CompileError(`Slice${layerSuffix(node.layer)}: gradient needs constant starts/ends/axes/steps over static extents`, { layer: node.layer, op: node.op });
  if (axes.some((s) => s.length === 0)) return [zerosLike(g, x)];
  const r = shape.length;
  const pads = new Array<number>(2 * r).fill(0);
  let d = dy[0]!;
  for (const s of axes as AxisSlice[]) {
    const extent = shape[s.axis] as number;
    let first = s.start;
    let step = s.step;
    if (step < 0) {
      d = reverse(g, d, s.axis);
      step = -step;
      first = s.start - (s.length - 1) * step;
    }
    let span = s.length;
    if (step > 1) {
      span = Math.min((s.length - 1) * step + 1, extent - first);
      d = spread(g, d, s.axis, step, span);
    }
    pads[s.axis] = first;
    pads[r + s.axis] = extent - first - span;
  }
  return [pads.some((p) => p !== 0) ? g.op('Pad', [d, ints(g, pads)]) : d];
};
