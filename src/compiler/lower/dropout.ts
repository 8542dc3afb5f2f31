// Inverted dropout. The keep-mask is computed inside the graph from the step's seed input and
// each element's flat index by an integer hash, so a step is a pure function of its inputs and
// a resumed run reproduces the same masks. Eval mode is the identity.
import { attr } from '../../onnx/graph';
import type { Graph } from '../../onnx/graph';
import type { Lowering } from './context';
import { floatAttr } from './attrs';
import { onnxType } from './dtype';
import { layerError } from '../fail';

/** Modulus of the hash: the Mersenne prime 2^31 - 1, so products of two residues fit in int64. */
export const HASH_MODULUS = 2147483647;

/**
 * Uniform pseudo-random residues in [0, HASH_MODULUS) for each index of the int64 tensor `index`,
 * from the int64 scalar `seed` and a per-use `salt`. A few rounds of affine maps and squaring
 * mod p (a polynomial of degree 4 in the index) decorrelate neighbouring elements; only
 * Mul/Add/Mod on int64 are needed, which every runtime has.
 */
export function hashIndices(g: Graph, index: string, seed: string, salt: number): string {
  const p = g.ints([HASH_MODULUS], true);
  const mod = (v: string) => g.op('Mod', [v, p]);
  const affine = (v: string, a: number, c: number) => mod(g.op('Add', [g.op('Mul', [v, g.ints([a], true)]), g.ints([c], true)]));
  const square = (v: string, c: number) => mod(g.op('Add', [g.op('Mul', [v, v]), g.ints([c], true)]));
  const s = mod(g.op('Mul', [mod(seed), g.ints([7919], true)]));
  let h = mod(g.op('Add', [g.op('Add', [index, s]), g.ints([(salt * 1000003) % HASH_MODULUS], true)]));
  h = affine(h, 48271, 12345);
  h = square(h, 1013904223);
  h = affine(h, 69621, 987654321);
  h = square(h, 362436069);
  return affine(h, 16807, 521288629);
}

export const dropoutLowerings: Record<string, Lowering> = {
  Dropout: (ctx) => {
    const { g, layer } = ctx;
    const x = ctx.inputs[0];
    const rate = floatAttr(layer, 'rate', 0.5);
    if (rate < 0 || rate >= 1) throw layerError(layer, `rate ${rate} must be in [0, 1)`);
    if (ctx.mode === 'eval' || rate === 0) return { output: x };
    if (!ctx.seed) throw layerError(layer, 'internal: train-mode dropout needs the seed input');
    const shape = g.op('Shape', [x]);
    const index = g.op('Range', [g.ints([0], true), g.op('Size', [x]), g.ints([1], true)]);
    const h = hashIndices(g, index, ctx.seed, ctx.index + 1);
    // Keep when the residue is at or above rate * p: probability 1 - rate.
    const keep = g.op('GreaterOrEqual', [h, g.ints([Math.floor(rate * HASH_MODULUS)], true)]);
    const mask = g.op('Mul', [g.op('Cast', [keep], { to: attr.int(onnxType(ctx.dtype)) }), ctx.scalar(1 / (1 - rate))]);
    return { output: g.op('Mul', [x, g.op('Reshape', [mask, shape])]) };
  },
};
