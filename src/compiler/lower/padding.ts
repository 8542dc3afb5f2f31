// Window geometry shared by convolutions and pools: `padding` (valid | same | int | per-axis
// list) becomes explicit ONNX pads. `same` follows the usual rule out = ceil(in / stride), with
// any odd padding put at the end, so it may be asymmetric.
import type { LayerInfo } from '../../analysis/types';
import { layerError } from '../fail';

export interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** ONNX layout: all begins, then all ends. */
  pads: number[];
  /** Per-axis output size. */
  out: number[];
}

export function resolveWindow(layer: LayerInfo, padding: unknown, spatial: number[], kernel: number[], strides: number[], dilations: number[]): Window {
  const n = spatial.length;
  const begin = Array<number>(n).fill(0);
  const end = Array<number>(n).fill(0);
  if (padding === 'same') {
    for (let i = 0; i < n; i++) {
      const span = (kernel[i] - 1) * dilations[i] + 1;
      const out = Math.ceil(spatial[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + span - spatial[i]);
      begin[i] = Math.floor(total / 2);
      end[i] = total - begin[i];
    }
  } else if (typeof padding === 'number' || Array.isArray(padding)) {
    const list = typeof padding === 'number' ? Array<number>(n).fill(padding) : padding;
    if (list.length !== n || !list.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0)) {
      throw layerError(layer, `padding ${JSON.stringify(padding)} must be valid, same, a non-negative integer or a list of ${n}`);
    }
    for (let i = 0; i < n; i++) begin[i] = end[i] = list[i] as number;
  } else if (padding !== 'valid' && padding !== undefined) {
    throw layerError(layer, `padding ${JSON.stringify(padding)} must be valid, same, a non-negative integer or a list of ${n}`);
  }
  const out = spatial.map((s, i) => Math.floor((s + begin[i] + end[i] - (kernel[i] - 1) * dilations[i] - 1) / strides[i]) + 1);
  return { kernel, strides, dilations, pads: [...begin, ...end], out };
}
