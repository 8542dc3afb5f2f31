// Inverted dropout on an arbitrary value inside a composite layer (attention weights, residual
// branches), with the same seeded in-graph hash as the Dropout layer. Each use passes its own
// salt so that two dropouts in one layer draw independent masks.
import { attr } from '../../onnx/graph';
import type { LowerContext } from './context';
import { HASH_MODULUS, hashIndices } from './dropout';
import { onnxType } from './dtype';
import { layerError } from '../fail';

/** Salts of composite-layer dropouts start here, far above the Dropout layers' (index + 1). */
const SALT_BASE = 1_000_000;

/** `x` with dropout `rate` in train mode; identity in eval mode. `use` numbers the dropouts of one layer (0..15). */
export function dropoutValue(ctx: LowerContext, x: string, rate: number, use: number): string {
  if (rate < 0 || rate >= 1) throw layerError(ctx.layer, `dropout ${rate} must be in [0, 1)`);
  if (ctx.mode === 'eval' || rate === 0) return x;
  if (!ctx.seed) throw layerError(ctx.layer, 'internal: train-mode dropout needs the seed input');
  const { g } = ctx;
  const index = g.op('Range', [g.ints([0], true), g.op('Size', [x]), g.ints([1], true)]);
  const h = hashIndices(g, index, ctx.seed, SALT_BASE + ctx.index * 16 + use);
  const keep = g.op('GreaterOrEqual', [h, g.ints([Math.floor(rate * HASH_MODULUS)], true)]);
  const mask = g.op('Mul', [g.op('Cast', [keep], { to: attr.int(onnxType(ctx.dtype)) }), ctx.scalar(1 / (1 - rate))]);
  return g.op('Mul', [x, g.op('Reshape', [mask, g.op('Shape', [x])])]);
}
