// Typed reads of node attributes, falling back to the opset-17 defaults listed in ops.json.
import type { Node } from '../graph';
import { attrDefault } from './registry';

export function getInt(node: Node, name: string, fallback?: number): number | undefined {
  const a = node.attrs[name];
  if (a && (a.t === 'int' || a.t === 'float')) return a.v;
  const d = attrDefault(node.op, name);
  return typeof d === 'number' ? d : fallback;
}

export function getFloat(node: Node, name: string, fallback?: number): number | undefined {
  return getInt(node, name, fallback);
}

export function getInts(node: Node, name: string): number[] | undefined {
  const a = node.attrs[name];
  return a && (a.t === 'ints' || a.t === 'floats') ? a.v : undefined;
}

export function getString(node: Node, name: string, fallback?: string): string | undefined {
  const a = node.attrs[name];
  if (a && a.t === 'string') return a.v;
  const d = attrDefault(node.op, name);
  return typeof d === 'string' ? d : fallback;
}

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
