// Pooling: windowed max/average (ONNX MaxPool / AveragePool, padding excluded from averages)
// and global averages as ReduceMean over the pooled axes.
import { attr } from '../../onnx/graph';
import type { LayerResult, LowerContext, Lowering } from './context';
import { outputShape, tupleAttr } from './attrs';
import { resolveWindow } from './padding';
import { layerError } from '../fail';

function lowerPool(ctx: LowerContext, op: 'MaxPool' | 'AveragePool'): LayerResult {
  const { g, layer } = ctx;
  const inShape = layer.inputs[0].shape;
  const kernel = tupleAttr(layer, 'pool_size', 2, 2);
  const strides = tupleAttr(layer, 'strides', 2, kernel);
  const win = resolveWindow(layer, layer.attrs.padding ?? 'valid', inShape.slice(1), kernel, strides, [1, 1]);
  if (win.out.join() !== outputShape(layer).slice(1).join()) {
    throw layerError(layer, `internal: lowering gives spatial size [${win.out}] but the analysis inferred [${outputShape(layer).slice(1)}]`);
  }
  const attrs = { kernel_shape: attr.ints(win.kernel), strides: attr.ints(win.strides), pads: attr.ints(win.pads) };
  return { output: g.op(op, [ctx.inputs[0]], op === 'AveragePool' ? { ...attrs, count_include_pad: attr.int(0) } : attrs) };
}

/** Mean over the batched axes `axes`, dropping them. */
function mean(ctx: LowerContext, axes: number[]): LayerResult {
  return { output: ctx.g.op('ReduceMean', [ctx.inputs[0]], { axes: attr.ints(axes), keepdims: attr.int(0) }) };
}

export const poolLowerings: Record<string, Lowering> = {
  MaxPool2D: (ctx) => lowerPool(ctx, 'MaxPool'),
  AvgPool2D: (ctx) => lowerPool(ctx, 'AveragePool'),
  GlobalAvgPool2D: (ctx) => mean(ctx, [2, 3]),
  // [T, D] -> [D]: the mean over time.
  GlobalAvgPool1D: (ctx) => mean(ctx, [1]),
};
