// Type inference for convolutions and pools (channels-first, any number of spatial dims).
// Output extents come from conv-geometry.ts so the gradient rules see the same padding.
import type { Dim, TypeInferer } from '../graph';
import { getInt, getInts } from './attrs';
import { windowGeometry, span } from './conv-geometry';
import { allStatic, formatShape, isStatic, mulDim } from './dims';
import { inType, shapeError } from './infer-util';

export const convInferers: Record<string, TypeInferer> = {
  Conv: (node, g) => {
    const x = inType(node, g, 0);
    const w = inType(node, g, 1);
    if (!x || !w) return [];
    const spatial = x.shape.slice(2);
    const kernel = w.shape.slice(2);
    if (w.shape.length !== x.shape.length || !allStatic(kernel)) throw shapeError(node, `weight ${formatShape(w.shape)} does not fit input ${formatShape(x.shape)}`);
    const group = getInt(node, 'group', 1)!;
    const c = x.shape[1];
    if (isStatic(c) && isStatic(w.shape[1]) && c !== w.shape[1] * group) {
      throw shapeError(node, `input has ${c} channels but weight ${formatShape(w.shape)} with group ${group} expects ${mulDim(w.shape[1], group)}`);
    }
    if (!allStatic(spatial)) return [];
    const geo = windowGeometry(node, spatial, kernel);
    if (geo.output.some((o) => o < 1)) throw shapeError(node, `kernel ${formatShape(kernel)} larger than padded input ${formatShape(spatial)}`);
    return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], ...geo.output] }];
  },

  ConvTranspose: (node, g) => {
    const x = inType(node, g, 0);
    const w = inType(node, g, 1);
    if (!x || !w) return [];
    const spatial = x.shape.slice(2);
    const kernel = w.shape.slice(2);
    if (!allStatic(spatial) || !allStatic(kernel)) return [];
    const n = spatial.length;
    const group = getInt(node, 'group', 1)!;
    const outShape = getInts(node, 'output_shape');
    const strides = getInts(node, 'strides') ?? new Array<number>(n).fill(1);
    const dil = getInts(node, 'dilations') ?? new Array<number>(n).fill(1);
    const pads = getInts(node, 'pads') ?? new Array<number>(2 * n).fill(0);
    const outPad = getInts(node, 'output_padding') ?? new Array<number>(n).fill(0);
    const out = outShape ?? spatial.map((s, i) => strides[i] * (s - 1) + outPad[i] + span(kernel[i], dil[i]) - pads[i] - pads[i + n]);
    return [{ dtype: x.dtype, shape: [x.shape[0], mulDim(w.shape[1], group), ...out] }];
  },

  pool: (node, g) => {
    const x = inType(node, g, 0);
    const kernel = getInts(node, 'kernel_shape');
    if (!x || !kernel) return [];
    const spatial = x.shape.slice(2);
    if (kernel.length !== spatial.length) throw shapeError(node, `kernel_shape ${formatShape(kernel)} does not fit input ${formatShape(x.shape)}`);
    if (!allStatic(spatial)) return [];
    const geo = windowGeometry(node, spatial, kernel);
    if (geo.output.some((o) => o < 1)) throw shapeError(node, `pool window ${formatShape(kernel)} larger than padded input ${formatShape(spatial)}`);
    const shape: Dim[] = [x.shape[0], x.shape[1], ...geo.output];
    return [{ dtype: x.dtype, shape }, { dtype: 'int64', shape }];
  },

  globalPool: (node, g) => {
    const x = inType(node, g, 0);
    return [x && { dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)] }];
  },
};
