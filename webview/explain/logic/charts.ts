// The data behind the non-image views of an explanation: a bar per feature for tabular inputs
// (largest |attribution| first, bars extending left for negative and right for positive values,
// coloured on the largest |attribution|), and a heat strip with one cell per token for token-id
// inputs (coloured on the map's robust scale, like image maps).
import { colorOf, mapScale, type Display } from './overlay';

export interface FeatureBar {
  feature: number;
  name: string;
  /** The value the model saw (standardised for CSV data). */
  value: number;
  /** The data's own value, when the run standardised it. */
  raw?: number;
  attribution: number;
  /** |attribution| / the largest |attribution| shown, 0..1. */
  length: number;
  color: string;
}

export interface BarChart {
  bars: FeatureBar[];
  /** Features left out because only the `limit` largest are shown. */
  hidden: number;
  /** Largest |attribution| shown: the full bar length and the end of the colour scale. */
  max: number;
}

const rgb = (c: [number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** The `limit` features with the largest |attribution|, largest first (ties: feature order). */
export function featureBars(
  attributions: readonly number[],
  values: readonly number[],
  display: Display,
  options: { raw?: readonly number[]; names?: readonly string[]; limit?: number } = {},
): BarChart {
  const limit = options.limit ?? 20;
  const order = attributions.map((_, i) => i).sort((a, b) => Math.abs(attributions[b]) - Math.abs(attributions[a]) || a - b);
  const shown = order.slice(0, limit);
  const max = shown.reduce((m, i) => Math.max(m, Math.abs(attributions[i])), 0);
  // Colours on the same scale as the bar lengths: a few features have no outliers to clip.
  const scale = max > 0 ? max : 1;
  return {
    bars: shown.map((i) => ({
      feature: i,
      name: options.names?.[i] ?? `feature ${i}`,
      value: values[i],
      ...(options.raw ? { raw: options.raw[i] } : {}),
      attribution: attributions[i],
      length: max > 0 ? Math.abs(attributions[i]) / max : 0,
      color: rgb(colorOf(attributions[i], display, scale)),
    })),
    hidden: Math.max(0, attributions.length - shown.length),
    max,
  };
}

export interface TokenCell {
  position: number;
  /** The token id. */
  id: number;
  attribution: number;
  background: string;
  /** Whether dark text reads on the background (else light text). */
  darkText: boolean;
}

/** One cell per token, coloured by its attribution on the map's own scale. */
export function tokenStrip(ids: readonly number[], attributions: readonly number[], display: Display): TokenCell[] {
  const scale = mapScale(attributions);
  return ids.map((id, position) => {
    const c = colorOf(attributions[position], display, scale);
    const luminance = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
    return { position, id, attribution: attributions[position], background: rgb(c), darkText: luminance > 0.55 };
  });
}
