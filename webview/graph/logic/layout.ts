// Where the cards go: the layered layout (layered.ts) at the card size, and the key that says
// when a new model needs a new layout (parameter edits keep the positions).
import type { GraphModel } from '../../../src/webview-protocol/graph';
import { layeredLayout } from './layered';

/** Every card has the same size, so layout never waits for the DOM to measure anything. */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 76;
const ROW_GAP = 44;
const COLUMN_GAP = 36;

export interface Point {
  x: number;
  y: number;
}
export type Positions = Record<string, Point>;

export interface Layout {
  positions: Positions;
  /** Bend points of edges that skip rows (see layered.ts). */
  bends: Record<string, Point[]>;
}

export function layoutGraph(model: GraphModel): Layout {
  const r = layeredLayout(model, { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, rowGap: ROW_GAP, columnGap: COLUMN_GAP, bendWidth: 24, margin: 24 });
  return { positions: r.positions, bends: r.bends };
}

/** What the layout depends on: the layers and the edges. Parameter changes keep it. */
export function structureKey(model: GraphModel): string {
  return `${model.layers.map((l) => l.id).join('\u0001')}\u0002${model.edges.map((e) => `${e.source}>${e.target}`).join('\u0001')}`;
}
