// A layered (Sugiyama-style) layout for layer graphs, top to bottom: each layer one row below its
// deepest input; an edge that skips rows gets bend points on the rows it crosses, so skip
// connections run beside the cards instead of through them; rows are ordered by barycentre
// sweeps starting from file order; x positions pull each card towards the cards it connects to.
// Linear-ish in the graph size (300 layers take a few milliseconds), so it runs on the UI thread
// without a worker and every structure edit is laid out before the next frame.
import type { GraphModel } from '../../../src/webview-protocol/graph';

export interface LayeredOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Vertical gap between rows. */
  rowGap: number;
  /** Horizontal gap between neighbouring cards. */
  columnGap: number;
  /** Width reserved for an edge passing through a row. */
  bendWidth: number;
  margin: number;
}

export interface LayeredResult {
  positions: Record<string, { x: number; y: number }>;
  /** Per edge id, the points (centre of the reserved slot) it bends through, top to bottom. */
  bends: Record<string, { x: number; y: number }[]>;
  width: number;
  height: number;
}

interface Item {
  /** Layer id, or `edge id#k` for the k-th bend of an edge. */
  key: string;
  layer?: string;
  width: number;
  row: number;
  order: number;
  x: number;
  up: Item[];
  down: Item[];
}

const sweeps = 6;

export function layeredLayout(model: GraphModel, o: LayeredOptions): LayeredResult {
  const index = new Map(model.layers.map((l, i) => [l.id, i]));
  // Rows: longest path in file order. An input written later in the file (a cycle, or a forward
  // reference) does not push the layer down; its edge is drawn upwards.
  const rowOf = new Map<string, number>();
  for (const l of model.layers) {
    let r = 0;
    for (const src of l.inputs) {
      const sr = rowOf.get(src);
      if (sr !== undefined) r = Math.max(r, sr + 1);
    }
    rowOf.set(l.id, r);
  }
  const items = new Map<string, Item>();
  const rows: Item[][] = [];
  const add = (item: Item) => {
    items.set(item.key, item);
    (rows[item.row] ??= []).push(item);
  };
  for (const l of model.layers) add({ key: l.id, layer: l.id, width: o.nodeWidth, row: rowOf.get(l.id)!, order: 0, x: 0, up: [], down: [] });

  const chains = new Map<string, Item[]>();
  for (const e of model.edges) {
    const s = items.get(e.source);
    const t = items.get(e.target);
    if (!s || !t || e.source === e.target) continue;
    if (t.row <= s.row) continue; // an upward edge: drawn as is, no slots
    const chain: Item[] = [s];
    for (let r = s.row + 1; r < t.row; r++) {
      const bend: Item = { key: `${e.id}#${r}`, width: o.bendWidth, row: r, order: 0, x: 0, up: [], down: [] };
      add(bend);
      chain.push(bend);
    }
    chain.push(t);
    for (let i = 0; i + 1 < chain.length; i++) {
      chain[i].down.push(chain[i + 1]);
      chain[i + 1].up.push(chain[i]);
    }
    chains.set(e.id, chain.slice(1, -1));
  }

  // Initial order: layers in file order; a bend right after the layer its edge comes from.
  const fileRank = (it: Item): number => {
    if (it.layer !== undefined) return index.get(it.layer)!;
    let from = it;
    while (from.layer === undefined) from = from.up[0];
    return index.get(from.layer)! + 0.5;
  };
  for (const row of rows) {
    if (!row) continue;
    row.sort((a, b) => fileRank(a) - fileRank(b));
    row.forEach((it, i) => (it.order = i));
  }

  // Barycentre sweeps, down then up, keeping the order where neighbours give no preference.
  const bary = (it: Item, side: Item[]) => (side.length === 0 ? it.order : side.reduce((s, n) => s + n.order, 0) / side.length);
  for (let s = 0; s < sweeps; s++) {
    const downward = s % 2 === 0;
    const sequence = downward ? rows.keys() : [...rows.keys()].reverse();
    for (const r of sequence) {
      const row = rows[r];
      if (!row) continue;
      const keyed = row.map((it) => ({ it, b: bary(it, downward ? it.up : it.down) }));
      keyed.sort((a, b) => a.b - b.b || a.it.order - b.it.order);
      keyed.forEach(({ it }, i) => (it.order = i));
      row.splice(0, row.length, ...keyed.map((k) => k.it));
    }
  }

  // x: each row in turn (top down), every item wants the centre of what feeds it — real layers
  // rather than bend points, so a main path stays straight and skip edges go beside it. Items are
  // placed by priority (layers before bends, busy layers first) as near their wish as the row's
  // order and the items already placed allow. Then sources (inputs) line up over what they feed.
  const centre = (it: Item) => it.x + it.width / 2;
  const wish = (it: Item, side: Item[]): number | undefined => {
    const real = side.filter((n) => n.layer !== undefined);
    const use = real.length > 0 ? real : side;
    return use.length > 0 ? use.reduce((sum, n) => sum + centre(n), 0) / use.length - it.width / 2 : undefined;
  };
  for (const row of rows) {
    let x = 0;
    for (const it of row ?? []) {
      it.x = x;
      x += it.width + o.columnGap;
    }
  }
  for (const row of rows) if (row) placeRow(row, row.map((it) => wish(it, it.up) ?? it.x), o.columnGap);
  for (const row of [...rows].reverse()) {
    if (!row || !row.some((it) => it.up.length === 0 && it.down.length > 0)) continue;
    placeRow(row, row.map((it) => (it.up.length === 0 ? (wish(it, it.down) ?? it.x) : it.x)), o.columnGap, (it) => it.up.length > 0);
  }

  let minX = Infinity;
  let maxX = -Infinity;
  for (const it of items.values()) {
    minX = Math.min(minX, it.x);
    maxX = Math.max(maxX, it.x + it.width);
  }
  if (!Number.isFinite(minX)) minX = maxX = 0;
  const rowY = (r: number) => o.margin + r * (o.nodeHeight + o.rowGap);
  const positions: LayeredResult['positions'] = {};
  for (const it of items.values()) {
    if (it.layer !== undefined) positions[it.layer] = { x: Math.round(it.x - minX + o.margin), y: rowY(it.row) };
  }
  const bends: LayeredResult['bends'] = {};
  for (const [edge, chain] of chains) {
    if (chain.length === 0) continue;
    bends[edge] = chain.map((b) => ({ x: Math.round(centre(b) - minX + o.margin), y: rowY(b.row) + o.nodeHeight / 2 }));
  }
  return { positions, bends, width: Math.round(maxX - minX + 2 * o.margin), height: rowY(rows.length) - o.rowGap + o.margin };
}

/**
 * Places a row's items at their wanted x, in priority order, each as near its wish as the items
 * placed before it allow while the row keeps its order and gaps. `fixed` items keep their x.
 */
function placeRow(row: Item[], wanted: number[], gap: number, fixed?: (it: Item) => boolean): void {
  const priority = (it: Item) => (fixed?.(it) ? 1e9 : 0) + (it.layer !== undefined ? 1e6 : 0) + it.up.length + it.down.length;
  const order = row.map((_, i) => i).sort((a, b) => priority(row[b]) - priority(row[a]) || a - b);
  const placed: (number | undefined)[] = row.map(() => undefined);
  for (const i of order) {
    let lo = -Infinity;
    let span = 0;
    for (let j = i - 1; j >= 0; j--) {
      span += row[j].width + gap;
      if (placed[j] !== undefined) {
        lo = placed[j]! + span;
        break;
      }
    }
    let hi = Infinity;
    span = row[i].width + gap;
    for (let j = i + 1; j < row.length; j++) {
      if (placed[j] !== undefined) {
        hi = placed[j]! - span;
        break;
      }
      span += row[j].width + gap;
    }
    const want = fixed?.(row[i]) ? row[i].x : wanted[i];
    placed[i] = Math.min(Math.max(want, lo), Math.max(lo, hi));
  }
  row.forEach((it, i) => (it.x = placed[i]!));
}
