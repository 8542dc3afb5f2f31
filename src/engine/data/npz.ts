// Reads named arrays from a NumPy .npz archive (a zip of .npy files, stored by np.savez or
// deflated by np.savez_compressed). Each array's header is checked against the entry's size
// before its data is inflated or allocated.
import { closeZip, entrySource, openZip, type ZipArchive } from './zip';
import { readNpyDataFrom, readNpyHeaderFrom, type NpyArray } from './npy';

export type NpzResult = { ok: true; arrays: Record<string, NpyArray> } | { ok: false; message: string };

/** Array names in the archive: entry names without the `.npy` suffix. */
export function npzKeys(zip: ZipArchive): string[] {
  return zip.entries.map((e) => e.name.replace(/\.npy$/, ''));
}

function readOne(zip: ZipArchive, key: string): { ok: true; array: NpyArray } | { ok: false; message: string } {
  const entry = zip.entries.find((e) => e.name === `${key}.npy`) ?? zip.entries.find((e) => e.name === key);
  if (entry === undefined) {
    return { ok: false, message: `${zip.file}: no array named "${key}" (the archive holds: ${npzKeys(zip).join(', ') || 'nothing'})` };
  }
  const where = `${zip.file}: array "${key}"`;
  const opened = entrySource(zip, entry);
  if (!opened.ok) return opened;
  try {
    const header = readNpyHeaderFrom(opened.source, where);
    if (!header.ok) return header;
    const result = readNpyDataFrom(opened.source, header.header, where);
    if (!result.ok) return result;
    const crcProblem = opened.verify();
    return crcProblem === undefined ? result : { ok: false, message: crcProblem };
  } catch (err) {
    // zlib reports corrupt deflate streams by throwing.
    return { ok: false, message: `${where}: cannot decompress: ${(err as Error).message}` };
  }
}

/** Reads the arrays named `keys` from an .npz file. Never throws. */
export function readNpz(file: string, keys: readonly string[]): NpzResult {
  const opened = openZip(file);
  if (!opened.ok) return opened;
  try {
    const arrays: Record<string, NpyArray> = {};
    for (const key of keys) {
      const one = readOne(opened.zip, key);
      if (!one.ok) return one;
      arrays[key] = one.array;
    }
    return { ok: true, arrays };
  } finally {
    closeZip(opened.zip);
  }
}
