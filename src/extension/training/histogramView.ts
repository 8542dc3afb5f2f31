// The hover of a layer line during and after training: its gradient numbers, small histograms of
// its gradients and weights (inline SVG as a data URI) and the trend of its gradient norm (a
// unicode sparkline, readable without images too).
import type { Histogram, ParamHistogram } from '../../engine/protocol';
import { formatValue, type LayerGradient } from './layerGradients';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** One block character per value, scaled between the smallest and largest (log scale when `log`). */
export function sparkline(values: readonly number[], log = false): string {
  const xs = values.map((v) => (log ? (v > 0 ? Math.log10(v) : NaN) : v));
  const finite = xs.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return xs
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.round(t * (BLOCKS.length - 1)))];
    })
    .join('');
}

/** Bar heights (0..1) of a histogram, each count relative to the largest. */
export function barHeights(h: Histogram): number[] {
  const top = Math.max(0, ...h.counts);
  return h.counts.map((c) => (top > 0 ? c / top : 0));
}

/** An SVG bar chart of the histogram, `width` × `height` pixels. */
export function histogramSvg(h: Histogram, color: string, width = 160, height = 40): string {
  const heights = barHeights(h);
  const w = width / Math.max(1, heights.length);
  const bars = heights
    .map((t, i) => {
      const bh = Math.max(t > 0 ? 1 : 0, Math.round(t * (height - 2)));
      return `<rect x="${(i * w).toFixed(1)}" y="${height - bh}" width="${Math.max(1, w - 1).toFixed(1)}" height="${bh}" fill="${color}"/>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars}</svg>`;
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** Histograms of a layer's tensors combined into one (same bin count; ranges merged approximately). */
export function layerHistograms(params: readonly ParamHistogram[], layer: string): { name: string; gradient: Histogram; weight: Histogram }[] {
  return params.filter((p) => p.layer === layer).map((p) => ({ name: p.param, gradient: p.gradient, weight: p.weight }));
}

function range(h: Histogram): string {
  return `${formatValue(h.min)} … ${formatValue(h.max)}, mean |x| ${formatValue(h.meanAbs)}${h.nonFinite ? `, ${h.nonFinite} NaN/Inf` : ''}`;
}

export interface HoverInput {
  gradient: LayerGradient;
  /** Gradient norms of the layer over the recent snapshots, oldest first. */
  trend: readonly number[];
  histograms: { name: string; gradient: Histogram; weight: Histogram }[];
  step: number;
  /** Colours for the bars (CSS colours; hovers cannot use theme variables in images). */
  gradientColor?: string;
  weightColor?: string;
}

const LEVEL_WORDS = { ok: 'healthy', vanishing: 'vanishing (below 1e-7 of the weights)', exploding: 'exploding' } as const;

/** Markdown for the hover (images as data URIs, which VS Code's hover renderer shows). */
export function gradientHoverMarkdown(h: HoverInput): string {
  const g = h.gradient;
  const lines = [
    `**${g.layer}** — gradients at step ${h.step}: ${LEVEL_WORDS[g.level]}`,
    '',
    `| gradient norm | weight norm | update / weight |`,
    `|---:|---:|---:|`,
    `| ${formatValue(g.gradNorm)} | ${formatValue(g.weightNorm)} | ${formatValue(g.updateRatio)} |`,
    '',
  ];
  if (h.trend.length > 1) lines.push(`Gradient norm trend (log scale): ${sparkline(h.trend, true)} ${formatValue(h.trend[0])} → ${formatValue(h.trend[h.trend.length - 1])}`, '');
  for (const t of h.histograms) {
    lines.push(`\`${t.name}\` gradient: ${range(t.gradient)}  `);
    lines.push(`![gradient histogram of ${g.layer}.${t.name}](${svgDataUri(histogramSvg(t.gradient, h.gradientColor ?? '#e8a33d'))})  `);
    lines.push(`\`${t.name}\` weights: ${range(t.weight)}  `);
    lines.push(`![weight histogram of ${g.layer}.${t.name}](${svgDataUri(histogramSvg(t.weight, h.weightColor ?? '#3d8fe8'))})`, '');
  }
  return lines.join('\n');
}
