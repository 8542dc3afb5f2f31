// Output size of a sliding window (convolution or pooling) along each spatial axis.
import type { ShapeContext, ShapeFail } from './rule';
import { fmtShape } from './rule';

export interface WindowResult {
  output: number[];
  /** ONNX order: every axis's begin padding, then every axis's end padding. */
  pads: number[];
}

/**
 * valid / explicit: out = floor((n + 2p - d(k-1) - 1) / s) + 1.
 * same: out = ceil(n / s); the total padding needed is split with the extra element at the
 * end (so even kernels pad asymmetrically), as in TensorFlow and ONNX's SAME_UPPER.
 */
export function windowOutput(
  ctx: ShapeContext,
  inputShape: number[],
  kernel: number[],
  strides: number[],
  dilation: number[],
  padding: 'valid' | 'same' | number[],
): WindowResult | ShapeFail {
  // Channels come first; the remaining axes are spatial.
  const size = inputShape.slice(1);
  const axisNames = size.length === 2 ? ['height', 'width'] : ['length'];
  const output: number[] = [];
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < size.length; i++) {
    const n = size[i];
    const span = dilation[i] * (kernel[i] - 1) + 1;
    if (padding === 'same') {
      const out = Math.ceil(n / strides[i]);
      const total = Math.max((out - 1) * strides[i] + span - n, 0);
      output.push(out);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
      continue;
    }
    const p = padding === 'valid' ? 0 : padding[i];
    if (n + 2 * p < span) {
      const what = dilation[i] > 1 ? `dilated window spans ${span}` : `window is ${span}`;
      const avail = p ? `${n + 2 * p} after padding` : `${n}`;
      return {
        error: `${ctx.kind} ${what} along the ${axisNames[i]} but its input \`${ctx.sources[0]}\` ${fmtShape(inputShape)} has ${avail}; use a smaller window, padding: same, or a larger input.`,
        input: 0,
      };
    }
    output.push(Math.floor((n + 2 * p - span) / strides[i]) + 1);
    begin.push(p);
    end.push(p);
  }
  return { output, pads: [...begin, ...end] };
}
