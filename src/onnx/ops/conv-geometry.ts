// Window geometry shared by Conv, ConvTranspose and the pools: resolves auto_pad into explicit
// pads and computes output extents, so type inference and the gradient rules (which must
// reproduce the forward's exact padding) agree.
import type { Node } from '../graph';
import { getInt, getInts, getString } from './attrs';

export interface WindowGeometry {
  /** Spatial input extents. */
  input: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  padsEnd: number[];
  /** Spatial output extents. */
  output: number[];
  ceilMode: boolean;
}

/** Extent covered by one window: (k - 1) * d + 1. */
export function span(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * Geometry of a Conv/MaxPool/AveragePool node over static spatial extents. Output extent is
 * floor((in + pb + pe - span) / s) + 1 (ceil in ceil_mode, where a last window starting
 * inside the end padding is dropped, as onnxruntime does).
 */
export function windowGeometry(node: Node, input: number[], kernel: number[]): WindowGeometry {
  const n = input.length;
  const strides = getInts(node, 'strides') ?? new Array<number>(n).fill(1);
  const dilations = getInts(node, 'dilations') ?? new Array<number>(n).fill(1);
  const ceilMode = (getInt(node, 'ceil_mode', 0) ?? 0) !== 0;
  const autoPad = getString(node, 'auto_pad', 'NOTSET') ?? 'NOTSET';
  const pads = getInts(node, 'pads') ?? new Array<number>(2 * n).fill(0);
  const padsBegin = pads.slice(0, n);
  const padsEnd = pads.slice(n, 2 * n);
  if (autoPad === 'VALID') {
    padsBegin.fill(0);
    padsEnd.fill(0);
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    for (let i = 0; i < n; i++) {
      const out = Math.ceil(input[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + span(kernel[i], dilations[i]) - input[i]);
      const small = Math.floor(total / 2);
      padsBegin[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      padsEnd[i] = total - padsBegin[i];
    }
  }
  const output = input.map((x, i) => {
    const room = x + padsBegin[i] + padsEnd[i] - span(kernel[i], dilations[i]);
    if (!ceilMode) return Math.floor(room / strides[i]) + 1;
    let out = Math.ceil(room / strides[i]) + 1;
    if ((out - 1) * strides[i] >= x + padsBegin[i]) out--;
    return out;
  });
  return { input, kernel, strides, dilations, padsBegin, padsEnd, output, ceilMode };
}

/** Explicit `pads` attribute value (begins then ends). */
export function padsAttr(geo: WindowGeometry): number[] {
  return [...geo.padsBegin, ...geo.padsEnd];
}
