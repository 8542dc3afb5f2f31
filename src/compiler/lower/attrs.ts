// Readers for normalised layer attributes. The analysis applies defaults, but a lowering still
// checks what it reads so a malformed value becomes a CompileError naming the layer.
import type { LayerInfo } from '../../analysis/types';
import { layerError } from '../fail';

export function intAttr(layer: LayerInfo, key: string, fallback?: number): number {
  const v = layer.attrs[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw layerError(layer, `'${key}' must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

export function floatAttr(layer: LayerInfo, key: string, fallback?: number): number {
  const v = layer.attrs[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw layerError(layer, `'${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function boolAttr(layer: LayerInfo, key: string, fallback: boolean): boolean {
  const v = layer.attrs[key] ?? fallback;
  if (typeof v !== 'boolean') throw layerError(layer, `'${key}' must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function stringAttr(layer: LayerInfo, key: string, fallback: string): string {
  const v = layer.attrs[key] ?? fallback;
  if (typeof v !== 'string') throw layerError(layer, `'${key}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** An int or a list of `n` ints (kernel_size, strides, dilation), as a list of `n` ints. */
export function tupleAttr(layer: LayerInfo, key: string, n: number, fallback?: number | number[]): number[] {
  const v = layer.attrs[key] ?? fallback;
  const list = typeof v === 'number' ? Array<number>(n).fill(v) : v;
  if (!Array.isArray(list) || list.length !== n || !list.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)) {
    throw layerError(layer, `'${key}' must be a positive integer or a list of ${n}, got ${JSON.stringify(v)}`);
  }
  return list as number[];
}

/** The layer's per-sample output shape; compile needs every shape inferred. */
export function outputShape(layer: LayerInfo): number[] {
  if (!layer.output) throw layerError(layer, 'its output shape could not be inferred; fix the errors reported for this layer first');
  return layer.output.shape;
}
