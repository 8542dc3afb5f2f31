// Ids for layers written without `id:`. A layer's generated id is `<kind lowercased>_<n>` where n is
// its position among the layers of the same kind (1-based, counting named ones too, like Keras),
// so giving one layer an id does not rename the others. When that id is taken by a written id,
// n counts up to the next free number.

export interface IdSource {
  /** The layer kind as written; empty when the layer has no usable `type:`. */
  kind: string;
  /** The written `id:`, when valid. */
  writtenId?: string;
}

/** Prefix of generated ids for a kind (`Conv2D` -> `conv2d`); `layer` when the kind is missing. */
export function idPrefix(kind: string): string {
  const k = kind.trim().toLowerCase();
  return k.length > 0 ? k : 'layer';
}

/** The id of every layer, in order: written ids as they are, generated ones for the rest. */
export function assignLayerIds(layers: readonly IdSource[]): string[] {
  const taken = new Set<string>();
  for (const l of layers) if (l.writtenId !== undefined) taken.add(l.writtenId);
  const seenOfKind = new Map<string, number>();
  return layers.map((l) => {
    const prefix = idPrefix(l.kind);
    const position = (seenOfKind.get(prefix) ?? 0) + 1;
    seenOfKind.set(prefix, position);
    if (l.writtenId !== undefined) return l.writtenId;
    let n = position;
    while (taken.has(`${prefix}_${n}`)) n++;
    const id = `${prefix}_${n}`;
    taken.add(id);
    return id;
  });
}

/** The first `<prefix>_<n>` (n from 1) that is not in `taken`. */
export function freshId(kind: string, taken: ReadonlySet<string>): string {
  const prefix = idPrefix(kind);
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}
