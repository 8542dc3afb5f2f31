// The palette's contents, from the layer metadata kept as data (src/analysis/layers.json): every
// layer kind with its category and one-line doc, searchable by kind, alias, category or doc.
import { getLayerMeta, layerKinds, type LayerCategory, type LayerMeta } from '../../../src/analysis/layers';

export interface PaletteEntry {
  kind: string;
  category: LayerCategory;
  doc: string;
  aliases: string[];
}

/** Category order and headings: roughly the order layers appear in a network. */
export const categoryLabels: Readonly<Record<LayerCategory, string>> = {
  input: 'Input',
  core: 'Core',
  convolution: 'Convolution',
  pooling: 'Pooling',
  normalization: 'Normalization',
  regularization: 'Regularization',
  reshape: 'Reshape',
  sequence: 'Sequence',
  attention: 'Attention',
  merge: 'Merge',
  activation: 'Activation',
};
const categoryOrder = Object.keys(categoryLabels) as LayerCategory[];

export function paletteEntries(): PaletteEntry[] {
  const entries = layerKinds.map((kind) => {
    const meta = getLayerMeta(kind) as LayerMeta;
    return { kind, category: meta.category, doc: meta.doc, aliases: meta.aliases ?? [] };
  });
  // Stable sort: within a category, layers.json order.
  return entries.sort((a, b) => categoryOrder.indexOf(a.category) - categoryOrder.indexOf(b.category));
}

/**
 * Entries matching every word of the query. Matches on the kind or an alias rank before matches
 * on the category, which rank before matches in the doc only.
 */
export function filterPalette(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  const scored: { e: PaletteEntry; score: number; i: number }[] = [];
  entries.forEach((e, i) => {
    const names = [e.kind, ...e.aliases].map((n) => n.toLowerCase());
    let score = 0;
    for (const w of words) {
      if (names.some((n) => n === w)) score += 0;
      else if (names.some((n) => n.startsWith(w))) score += 1;
      else if (names.some((n) => n.includes(w))) score += 2;
      else if (e.category.includes(w)) score += 3;
      else if (e.doc.toLowerCase().includes(w)) score += 4;
      else return;
    }
    scored.push({ e, score, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).map((s) => s.e);
}

/** Parameters a new layer is written with: the required ones, with their example values. */
export function newLayerParams(kind: string): Record<string, unknown> {
  const meta = getLayerMeta(kind);
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(meta?.params ?? {})) {
    if (!p.required) continue;
    out[name] = p.example ?? p.default ?? (p.type === 'int' ? Math.max(1, p.min ?? 1) : undefined);
  }
  return out;
}
