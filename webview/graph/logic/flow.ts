// The model as React Flow nodes and edges: one card per layer at its laid-out position, one edge
// per input reference labelled with the tensor that flows, coloured by gradient magnitude while
// training runs. Pure data (React Flow's types only), so it is unit-tested without a DOM.
import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import type { GraphLayer, GraphModel } from '../../../src/webview-protocol/graph';
import { gradientHeat } from './gradientColor';
import { NODE_HEIGHT, NODE_WIDTH, type Point, type Positions } from './layout';

export interface LayerNodeData extends Record<string, unknown> {
  layer: GraphLayer;
  /** 0..1 gradient magnitude of this layer, when training reported one. */
  heat?: number;
}
export interface ShapeEdgeData extends Record<string, unknown> {
  label?: string;
  /** Points the edge passes through on rows it skips. */
  bends?: Point[];
  heat?: number;
}

export type LayerNode = Node<LayerNodeData, 'layer'>;
export type ShapeEdge = Edge<ShapeEdgeData, 'shape'>;

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}K`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`;
}

/** `1234567` → `1,234,567` (toLocaleString builds a formatter per call: too slow for 300 cards). */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function layerAriaLabel(l: GraphLayer): string {
  const parts = [`${l.kind || 'Untyped'} layer ${l.id}`];
  if (l.summary) parts.push(l.summary.replace(/ · /g, ', '));
  parts.push(l.output ? `output ${l.output}` : 'output unknown');
  parts.push(`${groupDigits(l.paramCount)} parameters`);
  if (l.isOutput) parts.push('model output');
  const errors = l.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = l.diagnostics.filter((d) => d.severity === 'warning').length;
  if (errors + warnings > 0) parts.push(`${errors} error(s), ${warnings} warning(s): ${l.diagnostics[0].message}`);
  return parts.join('; ');
}

const PORT = 10;
const inPort: NodeHandle = { id: 'in', type: 'target', position: Position.Top, x: NODE_WIDTH / 2 - PORT / 2, y: -PORT / 2, width: PORT, height: PORT };
const outPort: NodeHandle = { id: 'out', type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2 - PORT / 2, y: NODE_HEIGHT - PORT / 2, width: PORT, height: PORT };

/**
 * Ports where the card's CSS puts them. Given up front, React Flow need not render every card
 * once to measure them — with hundreds of layers that first render would cost seconds.
 */
export function portsOf(layer: GraphLayer): NodeHandle[] {
  return layer.kind === 'Input' ? [outPort] : [inPort, outPort];
}

export function toFlowNodes(model: GraphModel, positions: Positions, selected: ReadonlySet<string>, gradients: Record<string, number> | null): LayerNode[] {
  return model.layers.map((layer) => ({
    id: layer.id,
    type: 'layer',
    position: positions[layer.id] ?? { x: 0, y: 0 },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    // React Flow keeps a node's measured size only while we pass the same object; a changed card
    // would lose it, never be re-measured (its DOM size does not change) and drop out of fit-view.
    measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
    handles: portsOf(layer),
    data: { layer, heat: gradientHeat(layer.id, gradients) },
    selected: selected.has(layer.id),
    draggable: false,
    ariaLabel: layerAriaLabel(layer),
  }));
}

export function toFlowEdges(
  model: GraphModel,
  bends: Readonly<Record<string, Point[]>>,
  selected: ReadonlySet<string>,
  gradients: Record<string, number> | null,
): ShapeEdge[] {
  return model.edges.map((e) => ({
    id: e.id,
    type: 'shape',
    source: e.source,
    target: e.target,
    sourceHandle: 'out',
    targetHandle: 'in',
    data: { label: e.label, bends: bends[e.id], heat: gradientHeat(e.source, gradients) },
    selected: selected.has(e.id),
    ariaLabel: `${e.source} to ${e.target}${e.label ? `, tensor ${e.label}` : ''}`,
    reconnectable: 'target',
  }));
}

/**
 * The previous object for every item that has not changed (same signature), so React Flow and
 * React skip it: after a parameter edit only the edited card is processed again.
 */
export class Reuse<T extends { id: string }> {
  private previous = new Map<string, { sig: string; item: T }>();

  constructor(private readonly signature: (item: T) => string) {}

  apply(items: T[]): T[] {
    const next = new Map<string, { sig: string; item: T }>();
    const out = items.map((item) => {
      const sig = this.signature(item);
      const old = this.previous.get(item.id);
      const kept = old && old.sig === sig ? old.item : item;
      next.set(item.id, { sig, item: kept });
      return kept;
    });
    this.previous = next;
    return out;
  }
}

export const nodeSignature = (n: LayerNode): string =>
  JSON.stringify([n.position, n.selected, n.data.heat, n.data.layer]);
export const edgeSignature = (e: ShapeEdge): string => JSON.stringify([e.source, e.target, e.selected, e.data]);
