// Type inference for elementwise ops: same-shape unary ops, broadcasting binary/variadic ops,
// comparisons (bool results), Where, casts, Dropout and the random generators.
import type { TypeInferer } from '../graph';
import { getInt, getInts } from './attrs';
import { broadcastShapes, elemFromOnnx, inType } from './infer-util';

export const elementwiseInferers: Record<string, TypeInferer> = {
  unary: (node, g) => [inType(node, g, 0)],

  predicate: (node, g) => {
    const t = inType(node, g, 0);
    return [t && { dtype: 'bool', shape: t.shape }];
  },

  broadcast: (node, g) => {
    const ts = node.inputs.map((_, i) => inType(node, g, i));
    if (ts.some((t) => !t)) return [];
    return [{ dtype: ts[0]!.dtype, shape: broadcastShapes(node, ts.map((t) => t!.shape)) }];
  },

  compare: (node, g) => {
    const a = inType(node, g, 0);
    const b = inType(node, g, 1);
    return [a && b && { dtype: 'bool', shape: broadcastShapes(node, [a.shape, b.shape]) }];
  },

  Where: (node, g) => {
    const ts = [0, 1, 2].map((i) => inType(node, g, i));
    if (ts.some((t) => !t)) return [];
    return [{ dtype: ts[1]!.dtype, shape: broadcastShapes(node, ts.map((t) => t!.shape)) }];
  },

  Cast: (node, g) => {
    const t = inType(node, g, 0);
    return [t && { dtype: elemFromOnnx(node, getInt(node, 'to', 1)!), shape: t.shape }];
  },

  CastLike: (node, g) => {
    const t = inType(node, g, 0);
    const like = inType(node, g, 1);
    return [t && like && { dtype: like.dtype, shape: t.shape }];
  },

  Dropout: (node, g) => {
    const t = inType(node, g, 0);
    return [t, t && { dtype: 'bool', shape: t.shape }];
  },

  randomLike: (node, g) => {
    const t = inType(node, g, 0);
    const dt = getInt(node, 'dtype');
    return [t && { dtype: dt === undefined ? t.dtype : elemFromOnnx(node, dt), shape: t.shape }];
  },

  random: (node) => {
    const shape = getInts(node, 'shape') ?? [];
    return [{ dtype: elemFromOnnx(node, getInt(node, 'dtype', 1)!), shape }];
  },
};

