// Per-layer gradient magnitude from a training snapshot, for colouring the graph's edges: the L2
// norm over all of a layer's parameter gradients (sqrt of the sum of their squared norms), so a
// layer with a weight and a bias reads as one number. Layers without parameters get none.
import type { GradStat } from '../../engine/protocol';

export function layerGradientNorms(params: readonly GradStat[]): Record<string, number> {
  const squares = new Map<string, number>();
  for (const p of params) {
    if (!Number.isFinite(p.gradNorm)) continue;
    squares.set(p.layer, (squares.get(p.layer) ?? 0) + p.gradNorm * p.gradNorm);
  }
  const out: Record<string, number> = {};
  for (const [layer, sq] of squares) out[layer] = Math.sqrt(sq);
  return out;
}
