// Shared helpers for the engine tests: temporary workspaces with model files, a compiled model
// from YAML text, and random batches.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { prepareModel, type PreparedModel } from '../../src/engine/prepare';

export function tempWorkspace(prefix = 'lw-engine-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `text` as `<dir>/<name>.nn.yaml` and returns the path. */
export function writeModel(dir: string, name: string, text: string): string {
  const file = path.join(dir, `${name}.nn.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

export function prepared(text: string, file = 'test.nn.yaml'): PreparedModel {
  return prepareModel(file, text);
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function randomFloats(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `--import <tsx>` as an absolute URL, so child processes can run TypeScript from any cwd. */
export const TSX_IMPORT = ['--import', pathToFileURL(require.resolve('tsx')).href];
