// SimpleRNN, GRU and LSTM over a [T, D] sequence. Parameters follow ONNX's RNN/GRU/LSTM
// inputs exactly, with the leading num_directions axis: W [dirs, gates*u, D],
// R [dirs, gates*u, u], B [dirs, 2*gates*u] (input and recurrent biases).
import type { ParamInfo } from '../types';
import { inputFail, requireFloat } from './rule';
import type { ShapeRule } from './rule';

interface Cell {
  gates: number;
  /** Element-wise FLOPs per unit per step: gate activations plus the state update. */
  pointwise: number;
}

// SimpleRNN: tanh. GRU: 3 gate activations + r*(Rh), (1-z), two products and a sum.
// LSTM: 4 gate activations + f*c, i*g, their sum, tanh(c) and o*tanh(c).
const cells: Record<string, Cell> = {
  SimpleRNN: { gates: 1, pointwise: 1 },
  GRU: { gates: 3, pointwise: 8 },
  LSTM: { gates: 4, pointwise: 9 },
};

export const recurrentRule: ShapeRule = (attrs, [input], ctx) => {
  const bad = requireFloat(ctx, input);
  if (bad) return bad;
  if (input.shape.length !== 2) {
    const advice =
      input.shape.length === 1
        ? 'a single vector has no time axis: Reshape it to [T, D] (e.g. [T, 1]) first.'
        : 'Reshape it to [T, D] first (for images, [H, C*W] reads rows as steps).';
    return inputFail(ctx, input, 'a [T, D] sequence', advice);
  }
  const cell = cells[ctx.kind];
  const [steps, features] = input.shape;
  const units = attrs.units as number;
  const dirs = attrs.bidirectional === true ? 2 : 1;
  const g = cell.gates * units;
  const params: ParamInfo[] = [
    { name: 'W', shape: [dirs, g, features], trainable: true, init: 'glorot_uniform', fanIn: features, fanOut: g },
    { name: 'R', shape: [dirs, g, units], trainable: true, init: 'orthogonal', fanIn: units, fanOut: g },
    { name: 'B', shape: [dirs, 2 * g], trainable: true, init: 'zeros', fanIn: 2 * g, fanOut: 2 * g },
  ];
  const perStep = 2 * g * (features + units) + 2 * g + cell.pointwise * units;
  const width = dirs * units;
  return {
    output: { shape: attrs.return_sequences === true ? [steps, width] : [width], dtype: 'float32' },
    params,
    flops: steps * dirs * perStep,
  };
};
