// Per-op facts from ops.json: input/output counts, which inputs carry gradients, and the
// attribute defaults that inferers and gradient rules read through `attrs.ts`.
import table from './ops.json';

export interface OpInfo {
  /** [min, max]; max null = any number. */
  inputs: [number, number | null];
  outputs: [number, number | null];
  /** Input indices gradients flow through; 'all' for variadic ops. */
  differentiable: number[] | 'all';
  /** Type-inference family (see index.ts); the op name when absent. */
  infer?: string;
  attrs?: Record<string, number | string>;
}

const ops = new Map<string, OpInfo>(
  Object.entries(table as Record<string, unknown>)
    .filter(([k]) => !k.startsWith('$'))
    .map(([k, v]) => [k, v as OpInfo]),
);

export function opInfo(op: string): OpInfo | undefined {
  return ops.get(op);
}

export function knownOps(): string[] {
  return [...ops.keys()];
}

/**
 * Whether gradients flow through input `i` of `op`. Ops missing from ops.json count as
 * differentiable everywhere, so using one on a gradient path fails loudly (no rule) instead of
 * silently giving zero gradients.
 */
export function isDifferentiableInput(op: string, i: number): boolean {
  const info = ops.get(op);
  if (!info) return true;
  return info.differentiable === 'all' || info.differentiable.includes(i);
}

export function attrDefault(op: string, name: string): number | string | undefined {
  return ops.get(op)?.attrs?.[name];
}
