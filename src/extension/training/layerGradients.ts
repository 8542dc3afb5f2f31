// Per-layer gradient numbers from the engine's per-tensor statistics, the colour level they earn
// and the text shown at the end of the layer's line. A layer's tensors (weight, bias ...) are
// combined as one vector: norms add in squares, the update ratio is that of the whole layer.
import type { GradStat } from '../../engine/protocol';
import { thresholds } from './thresholds';

export type GradientLevel = 'ok' | 'vanishing' | 'exploding';

export interface LayerGradient {
  layer: string;
  gradNorm: number;
  weightNorm: number;
  /** ‖update‖ / ‖weights‖ of the last optimizer step. */
  updateRatio: number;
  level: GradientLevel;
}

export interface GradientLimits {
  vanishingRelative: number;
  explodingRelative: number;
  largeUpdateRatio: number;
}

/**
 * `vanishing` when the gradient is below `vanishingRelative` times the weights' norm (or zero),
 * `exploding` when it is not finite, above `explodingRelative` times the weights' norm, or the
 * update moves the weights by more than `largeUpdateRatio` of their norm in one step.
 */
export function gradientLevel(gradNorm: number, weightNorm: number, updateRatio: number, limits: GradientLimits = thresholds.gradient): GradientLevel {
  if (!Number.isFinite(gradNorm) || !Number.isFinite(updateRatio)) return 'exploding';
  const scale = weightNorm > 0 ? weightNorm : 1;
  if (gradNorm === 0 || gradNorm / scale < limits.vanishingRelative) return 'vanishing';
  if (gradNorm / scale > limits.explodingRelative || updateRatio > limits.largeUpdateRatio) return 'exploding';
  return 'ok';
}

export function layerGradients(stats: readonly GradStat[], limits: GradientLimits = thresholds.gradient): LayerGradient[] {
  const byLayer = new Map<string, { g2: number; w2: number; u2: number }>();
  for (const s of stats) {
    const acc = byLayer.get(s.layer) ?? { g2: 0, w2: 0, u2: 0 };
    acc.g2 += s.gradNorm * s.gradNorm;
    acc.w2 += s.weightNorm * s.weightNorm;
    // updateRatio = ‖Δ‖/‖w‖ per tensor, so ‖Δ‖ = ratio × ‖w‖.
    const delta = s.updateRatio * s.weightNorm;
    acc.u2 += delta * delta;
    byLayer.set(s.layer, acc);
  }
  return [...byLayer].map(([layer, a]) => {
    const gradNorm = Math.sqrt(a.g2);
    const weightNorm = Math.sqrt(a.w2);
    const updateRatio = weightNorm > 0 ? Math.sqrt(a.u2) / weightNorm : Number.isFinite(a.u2) ? 0 : NaN;
    return { layer, gradNorm, weightNorm, updateRatio, level: gradientLevel(gradNorm, weightNorm, updateRatio, limits) };
  });
}

/** Three significant digits, scientific below 0.01 and above 10 000. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 0.01 || a >= 1e4) return v.toExponential(2).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

const LEVEL_NOTE: Record<GradientLevel, string> = { ok: '', vanishing: '  vanishing', exploding: '  exploding' };

/** `∇ 1.23e-3 · ‖w‖ 4.56 · Δ/w 1.00e-3`, with a note when the level is not ok. */
export function decorationText(g: LayerGradient): string {
  return `∇ ${formatValue(g.gradNorm)} · ‖w‖ ${formatValue(g.weightNorm)} · Δ/w ${formatValue(g.updateRatio)}${LEVEL_NOTE[g.level]}`;
}

/** Theme colour ids for each level (contributed in package.json). */
export const LEVEL_COLOR: Record<GradientLevel, string> = {
  ok: 'layerwise.gradientOkForeground',
  vanishing: 'layerwise.gradientVanishingForeground',
  exploding: 'layerwise.gradientExplodingForeground',
};
