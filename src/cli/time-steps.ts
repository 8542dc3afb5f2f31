// Text for the recurrent layers' gradient norms per time step (`layerwise grad`): one line per
// layer with the norm at each step of its input, scaled by the last step's, so vanishing
// gradients read as a row of shrinking powers of ten.
import type { TimeStepGradNorms } from '../engine/protocol';

/** Steps shown in full; longer sequences show their first and last few. */
const MAX_SHOWN = 16;

function sci(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v === 0 ? '0' : v.toExponential(1);
}

export function formatTimeSteps(timeSteps: readonly TimeStepGradNorms[]): string[] {
  if (timeSteps.length === 0) return [];
  const lines = ['Gradient norm per time step, d loss / d input at step t, relative to the last step:'];
  for (const { layer, norms } of timeSteps) {
    const last = norms[norms.length - 1];
    const rel = norms.map((v) => (last > 0 ? v / last : NaN));
    const shown =
      rel.length <= MAX_SHOWN
        ? rel.map(sci)
        : [...rel.slice(0, MAX_SHOWN / 2).map(sci), '...', ...rel.slice(-MAX_SHOWN / 2).map(sci)];
    lines.push(`  ${layer} (${norms.length} steps, last ${sci(last)}): ${shown.join(' ')}`);
    lines.push(`    first / last = ${sci(rel[0])}`);
  }
  return lines;
}
