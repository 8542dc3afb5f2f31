// BatchNorm over the channel axis (axis 0 of the per-sample shape, axis 1 batched), built from
// primitive ops so the autodiff can differentiate the batch statistics. Train mode normalises
// with the batch mean and (biased) variance and emits the updated running statistics:
// running = momentum * running + (1 - momentum) * batch. Eval mode uses the running statistics.
import { attr } from '../../onnx/graph';
import type { Lowering } from './context';
import { floatAttr, outputShape } from './attrs';

export const normLowerings: Record<string, Lowering> = {
  BatchNorm: (ctx) => {
    const { g, layer } = ctx;
    const x = ctx.inputs[0];
    const shape = outputShape(layer);
    const channels = shape[0];
    const momentum = floatAttr(layer, 'momentum', 0.9);
    const eps = ctx.scalar(floatAttr(layer, 'epsilon', 1e-5));
    // [C] parameters broadcast as [1, C, 1, ...].
    const perChannel = g.ints([1, channels, ...shape.slice(1).map(() => 1)]);
    const bcast = (v: string) => g.op('Reshape', [v, perChannel]);
    const gamma = ctx.param('gamma');
    const beta = ctx.param('beta');
    if (ctx.mode === 'eval') {
      const scale = g.op('Div', [gamma, g.op('Sqrt', [g.op('Add', [ctx.param('running_var'), eps])])]);
      const shift = g.op('Sub', [beta, g.op('Mul', [ctx.param('running_mean'), scale])]);
      return { output: g.op('Add', [g.op('Mul', [x, bcast(scale)]), bcast(shift)]) };
    }
    const axes = attr.ints([0, ...shape.slice(1).map((_, i) => i + 2)]);
    const mean = g.op('ReduceMean', [x], { axes, keepdims: attr.int(1) });
    const centred = g.op('Sub', [x, mean]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes, keepdims: attr.int(1) });
    const normalised = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, eps])])]);
    const y = g.op('Add', [g.op('Mul', [normalised, bcast(gamma)]), bcast(beta)]);
    const flat = g.ints([channels]);
    const blend = (running: string, batch: string) =>
      g.op('Add', [g.op('Mul', [ctx.param(running), ctx.scalar(momentum)]), g.op('Mul', [g.op('Reshape', [batch, flat]), ctx.scalar(1 - momentum)])]);
    ctx.updateParam('running_mean', blend('running_mean', mean));
    ctx.updateParam('running_var', blend('running_var', variance));
    return { output: y };
  },
};
