// Edge colour from the gradient magnitude of the layer the edge leaves: a position between the
// theme's "cool" and "hot" chart colours on a log scale across the model's layers, so a layer
// whose gradients vanish or explode stands out against the rest.

/** 0 (smallest in the model) to 1 (largest); undefined when the layer has no magnitude. */
export function gradientHeat(layer: string, magnitudes: Readonly<Record<string, number>> | null): number | undefined {
  if (!magnitudes) return undefined;
  const value = magnitudes[layer];
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const logs = Object.values(magnitudes)
    .filter((v) => Number.isFinite(v) && v > 0)
    .map((v) => Math.log10(v));
  if (value <= 0) return 0;
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  if (!(hi > lo)) return 0.5;
  return (Math.log10(value) - lo) / (hi - lo);
}

/** A CSS colour mixing the theme's chart colours (blue for small, red for large). */
export function heatColor(heat: number): string {
  const pct = Math.round(Math.max(0, Math.min(1, heat)) * 100);
  return `color-mix(in srgb, var(--vscode-charts-red, #e5534b) ${pct}%, var(--vscode-charts-blue, #3794ff))`;
}
