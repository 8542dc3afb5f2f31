// Values known while the graph is built: initializer and Constant data, and the (possibly
// symbolic) contents of small int64 tensors derived from Shape. Type inference reads them to
// size Reshape/Expand/Slice/ReduceSum outputs; the autodiff reads them for constant exponents
// and clip bounds.
import type { Dim, Graph, TensorData } from '../graph';

export interface KnownValue {
  /** Static shape of the tensor (rank 0 or 1 for shape-like values). */
  dims: number[];
  /** Elements in row-major order; a string is a symbolic dimension. */
  values: Dim[];
}

interface GraphIndex {
  /** How many initializers have been indexed. */
  seen: number;
  known: Map<string, KnownValue>;
}

const indexes = new WeakMap<Graph, GraphIndex>();

function indexOf(g: Graph): GraphIndex {
  let ix = indexes.get(g);
  if (!ix) {
    ix = { seen: 0, known: new Map() };
    indexes.set(g, ix);
  }
  // Initializers are only ever appended, so index the new tail.
  while (ix.seen < g.initializers.length) {
    const t = g.initializers[ix.seen++];
    if (t.data.length <= 1 << 16) ix.known.set(t.name, fromTensor(t));
  }
  return ix;
}

export function fromTensor(t: TensorData): KnownValue {
  const data = t.data as ArrayLike<number | bigint>;
  const values: number[] = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = Number(data[i]);
  return { dims: t.dims, values };
}

/** The value of `name` when it is a constant or a tracked shape computation. */
export function knownValue(g: Graph, name: string): KnownValue | undefined {
  if (!name) return undefined;
  return indexOf(g).known.get(name);
}

/** Records the value an inferer worked out for one of its outputs. */
export function setKnownValue(g: Graph, name: string, v: KnownValue): void {
  indexOf(g).known.set(name, v);
}

/** Elements of a known scalar/1-D value, or undefined. */
export function knownDims(g: Graph, name: string): Dim[] | undefined {
  return knownValue(g, name)?.values;
}

/** Elements of a known value when all are numbers. */
export function knownNumbers(g: Graph, name: string): number[] | undefined {
  const v = knownValue(g, name)?.values;
  return v && v.every((d) => typeof d === 'number') ? (v as number[]) : undefined;
}

/** A known scalar (or one-element) number. */
export function knownScalar(g: Graph, name: string): number | undefined {
  const v = knownNumbers(g, name);
  return v && v.length === 1 ? v[0] : undefined;
}
