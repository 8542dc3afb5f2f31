// Keyboard movement between layer cards: down follows the data to the first layer this one feeds,
// up goes back to its first input, left and right go to the nearest card on the same row.
import type { GraphModel } from '../../../src/webview-protocol/graph';
import type { Positions } from './layout';

export type Direction = 'up' | 'down' | 'left' | 'right';

export function neighbour(model: GraphModel, positions: Positions, from: string, direction: Direction): string | undefined {
  const here = positions[from];
  if (!here) return model.layers[0]?.id;
  if (direction === 'down') {
    const next = model.edges.filter((e) => e.source === from).map((e) => e.target);
    return nearest(next, positions, here) ?? belowOrAbove(model, positions, from, 1);
  }
  if (direction === 'up') {
    const layer = model.layers.find((l) => l.id === from);
    const previous = (layer?.inputs ?? []).filter((id) => positions[id]);
    return nearest(previous, positions, here) ?? belowOrAbove(model, positions, from, -1);
  }
  const sign = direction === 'right' ? 1 : -1;
  let best: { id: string; d: number } | undefined;
  for (const l of model.layers) {
    const p = positions[l.id];
    if (!p || l.id === from) continue;
    const dx = (p.x - here.x) * sign;
    if (dx <= 0) continue;
    const d = dx + Math.abs(p.y - here.y) * 4;
    if (!best || d < best.d) best = { id: l.id, d };
  }
  return best?.id;
}

function nearest(ids: string[], positions: Positions, here: { x: number; y: number }): string | undefined {
  let best: { id: string; d: number } | undefined;
  for (const id of ids) {
    const p = positions[id];
    if (!p) continue;
    const d = Math.abs(p.x - here.x) + Math.abs(p.y - here.y);
    if (!best || d < best.d) best = { id, d };
  }
  return best?.id;
}

/** A layer with no consumer (or no input) moves through the file order instead. */
function belowOrAbove(model: GraphModel, positions: Positions, from: string, step: 1 | -1): string | undefined {
  const i = model.layers.findIndex((l) => l.id === from);
  const next = model.layers[i + step];
  return next && positions[next.id] ? next.id : undefined;
}
