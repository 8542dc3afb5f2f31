// Non-finite checks. Bad values spread forward through the activations and backward through the
// gradients, so the train step reports per layer whether its output or only its parameters'
// gradients went bad, and the origin is the first layer whose output did, or else the last layer
// (nearest the loss) whose gradients did.
import type { Graph } from '../onnx/graph';
import type { ParamTensor } from './types';
import type { FloatType } from './lower/context';
import type { ForwardResult } from './lower/forward';
import { nanFlags, pack, poison } from './stats';
import { scalarConst } from './lower/scalars';

/**
 * [L] codes in forward order: 1 where the layer's output holds NaN/Inf, else 2 where its
 * parameters' squared gradient norms (`gradSq`, aligned with `trainable`) are NaN/Inf, else 0.
 */
export function nonFiniteCodes(g: Graph, fwd: ForwardResult, trainable: ParamTensor[], gradSq: string[], dtype: FloatType): string {
  const actPoison = fwd.order.map((layer) => {
    const o = fwd.results.get(layer.spec.id)!.output;
    return g.typeOf(o)?.dtype === dtype ? poison(g, o, dtype) : scalarConst(g, dtype, 0);
  });
  const zero = scalarConst(g, dtype, 0);
  const gradPoison = gradSq.map((sq) => g.op('Mul', [sq, zero]));
  return layerCodes(g, fwd.order.map((l) => l.spec.id), actPoison, trainable, gradPoison, dtype);
}

/**
 * The same codes from per-layer output checks (`actPoison`, aligned with `layers`; omitted when
 * the graph has no forward pass, so no layer gets 1) and per-parameter checks (`paramPoison`,
 * aligned with `trainable`, NaN where that parameter's gradient or update went bad: code 2).
 */
export function layerCodes(g: Graph, layers: readonly string[], actPoison: string[] | undefined, trainable: ParamTensor[], paramPoison: string[], dtype: FloatType): string {
  const c = (v: number) => scalarConst(g, dtype, v);
  const gradPoison = layers.map((id) => {
    let acc = c(0);
    trainable.forEach((p, i) => {
      if (p.layer === id) acc = g.op('Add', [acc, paramPoison[i]]);
    });
    return acc;
  });
  const actBad = nanFlags(g, pack(g, actPoison ?? layers.map(() => c(0))), dtype);
  const gradBad = nanFlags(g, pack(g, gradPoison), dtype);
  // act + 2 grad (1 - act): 1 wins over 2.
  return g.op('Add', [actBad, g.op('Mul', [g.op('Mul', [gradBad, c(2)]), g.op('Sub', [c(1), actBad])])]);
}

/** The layer id to blame for codes from `TrainStepIO.nonFinite`, or undefined when all are finite. */
export function firstNonFiniteLayer(layers: readonly string[], codes: ArrayLike<number>): string | undefined {
  for (let i = 0; i < layers.length; i++) if (codes[i] === 1) return layers[i];
  for (let i = layers.length - 1; i >= 0; i--) if (codes[i] === 2) return layers[i];
  return undefined;
}
