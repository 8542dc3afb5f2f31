// Activations: the standalone layers and the `activation:` shorthand of Dense/Conv layers.
import { attr } from '../../onnx/graph';
import type { LayerResult, LowerContext, Lowering } from './context';
import { floatAttr, intAttr, outputShape } from './attrs';
import { layerError } from '../fail';

/** LeakyReLU slope used by the `activation: leaky_relu` shorthand (the LeakyReLU layer default). */
export const SHORTHAND_LEAKY_ALPHA = 0.01;

/**
 * Applies a named activation to `x`. `axis` (of the batched value) is the softmax axis.
 * Softmax and sigmoid report the value before them as logits, for the loss.
 */
export function applyActivation(ctx: LowerContext, x: string, name: string, axis: number, alpha = SHORTHAND_LEAKY_ALPHA): LayerResult {
  const { g } = ctx;
  switch (name) {
    case 'linear':
      return { output: x };
    case 'relu':
      return { output: g.op('Relu', [x]) };
    case 'leaky_relu':
      return { output: g.op('LeakyRelu', [x], { alpha: attr.float(alpha) }) };
    case 'gelu': {
      // x * Phi(x) with the exact normal CDF: 0.5 * x * (1 + erf(x / sqrt 2)).
      const e = g.op('Erf', [g.op('Mul', [x, ctx.scalar(Math.SQRT1_2)])]);
      return { output: g.op('Mul', [g.op('Mul', [x, ctx.scalar(0.5)]), g.op('Add', [e, ctx.scalar(1)])]) };
    }
    case 'sigmoid':
      return { output: g.op('Sigmoid', [x]), logits: { value: x, activation: 'sigmoid' } };
    case 'tanh':
      return { output: g.op('Tanh', [x]) };
    case 'softmax': {
      const output = g.op('Softmax', [x], { axis: attr.int(axis) });
      // Cross-entropy normalises over the last axis, so only a last-axis softmax can be skipped.
      const last = axis === outputShape(ctx.layer).length;
      return last ? { output, logits: { value: x, activation: 'softmax' } } : { output };
    }
    default:
      throw layerError(ctx.layer, `unknown activation '${name}'; use one of relu, leaky_relu, gelu, sigmoid, tanh, softmax, linear`);
  }
}

/** The softmax axis of the batched value for a per-sample axis (negative counts from the end). */
export function batchedAxis(ctx: LowerContext, axis: number): number {
  const rank = outputShape(ctx.layer).length;
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw layerError(ctx.layer, `axis ${axis} is out of range for a per-sample shape of rank ${rank}`);
  return a + 1;
}

const simple = (name: string): Lowering => (ctx) => applyActivation(ctx, ctx.inputs[0], name, -1);

export const activationLowerings: Record<string, Lowering> = {
  ReLU: simple('relu'),
  LeakyReLU: (ctx) => applyActivation(ctx, ctx.inputs[0], 'leaky_relu', -1, floatAttr(ctx.layer, 'alpha', SHORTHAND_LEAKY_ALPHA)),
  GELU: simple('gelu'),
  Sigmoid: simple('sigmoid'),
  Tanh: simple('tanh'),
  Softmax: (ctx) => applyActivation(ctx, ctx.inputs[0], 'softmax', batchedAxis(ctx, intAttr(ctx.layer, 'axis', -1))),
};
