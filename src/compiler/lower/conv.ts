// Conv1D / Conv2D: one ONNX Conv (channels first) with explicit pads, then the activation.
import { attr } from '../../onnx/graph';
import type { LayerResult, LowerContext, Lowering } from './context';
import { intAttr, outputShape, stringAttr, tupleAttr } from './attrs';
import { resolveWindow } from './padding';
import { applyActivation } from './activation';
import { layerError } from '../fail';

function lowerConv(ctx: LowerContext, n: number): LayerResult {
  const { g, layer } = ctx;
  const inShape = layer.inputs[0].shape;
  const outShape = outputShape(layer);
  const win = resolveWindow(
    layer,
    layer.attrs.padding ?? 'valid',
    inShape.slice(1),
    tupleAttr(layer, 'kernel_size', n),
    tupleAttr(layer, 'strides', n, 1),
    tupleAttr(layer, 'dilation', n, 1),
  );
  if (win.out.join() !== outShape.slice(1).join()) {
    throw layerError(layer, `internal: lowering gives spatial size [${win.out}] but the analysis inferred [${outShape.slice(1)}]`);
  }
  const groups = intAttr(layer, 'groups', 1);
  const hasBias = layer.params.some((p) => p.name === 'bias');
  const inputs = [ctx.inputs[0], ctx.param('weight'), ...(hasBias ? [ctx.param('bias')] : [])];
  const y = g.op('Conv', inputs, {
    kernel_shape: attr.ints(win.kernel),
    strides: attr.ints(win.strides),
    dilations: attr.ints(win.dilations),
    pads: attr.ints(win.pads),
    group: attr.int(groups),
  });
  // A softmax shorthand on a convolution normalises over channels (per position).
  return applyActivation(ctx, y, stringAttr(layer, 'activation', 'linear'), 1);
}

export const convLowerings: Record<string, Lowering> = {
  Conv1D: (ctx) => lowerConv(ctx, 1),
  Conv2D: (ctx) => lowerConv(ctx, 2),
};
