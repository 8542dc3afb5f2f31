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

/** Layer kinds whose output is their input's values rearranged: never the first to go non-finite. */
const VALUE_PRESERVING = new Set(['Flatten', 'Reshape']);

/**
 * [L] codes in forward order: 1 where the layer's output holds NaN/Inf, else 2 where its
 * parameters' squared gradient norms (`gradSq`, [P] aligned with `trainable`) are NaN/Inf, else 0.
 */
export function nonFiniteCodes(g: Graph, fwd: ForwardResult, trainable: ParamTensor[], gradSq: string, dtype: FloatType): string {
  const actPoison = fwd.order.map((layer) => {
    const o = fwd.results.get(layer.spec.id)!.output;
    // A reshape holds its input's values: the layer before it is checked, and is named first.
    if (VALUE_PRESERVING.has(layer.kind) || g.typeOf(o)?.dtype !== dtype) return scalarConst(g, dtype, 0);
    return poison(g, o, dtype);
  });
  return layerCodes(g, fwd.order.map((l) => l.spec.id), actPoison, trainable, g.op('Mul', [gradSq, scalarConst(g, dtype, 0)]), dtype);
}

/**
 * The same codes from per-layer output checks (`actPoison`, aligned with `layers`; omitted when
 * the graph has no forward pass, so no layer gets 1) and per-parameter checks (`paramPoison`, a
 * [P] vector aligned with `trainable`, NaN where that parameter's gradient or update went bad:
 * code 2 for its layer). The parameters' flags reach their layers through one MatMul with a
 * constant membership matrix, whatever the number of parameters.
 */
export function layerCodes(g: Graph, layers: readonly string[], actPoison: string[] | undefined, trainable: ParamTensor[], paramPoison: string, dtype: FloatType): string {
  const c = (v: number) => scalarConst(g, dtype, v);
  const member = dtype === 'float64' ? new Float64Array(trainable.length * layers.length) : new Float32Array(trainable.length * layers.length);
  trainable.forEach((p, i) => {
    const j = layers.indexOf(p.layer);
    if (j >= 0) member[i * layers.length + j] = 1;
  });
  const badParams = g.op('MatMul', [nanFlags(g, paramPoison, dtype), g.constant(member, [trainable.length, layers.length], 'param_layers')]);
  const gradBad = g.op('Min', [badParams, c(1)]);
  const actBad = nanFlags(g, pack(g, actPoison ?? layers.map(() => c(0))), dtype);
  // act + 2 grad (1 - act): 1 wins over 2.
  return g.op('Add', [actBad, g.op('Mul', [g.op('Mul', [gradBad, c(2)]), g.op('Sub', [c(1), actBad])])]);
}

/** The layer id to blame for codes from `TrainStepIO.nonFinite`, or undefined when all are finite. */
export function firstNonFiniteLayer(layers: readonly string[], codes: ArrayLike<number>): string | undefined {
  for (let i = 0; i < layers.length; i++) if (codes[i] === 1) return layers[i];
  for (let i = layers.length - 1; i >= 0; i--) if (codes[i] === 2) return layers[i];
  return undefined;
}
