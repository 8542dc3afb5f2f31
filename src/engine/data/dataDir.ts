// Finds the folder holding the bundled data files (`data/` next to package.json). The code runs
// as esbuild bundles from `dist/`, from `src/` under tsx, and from an installed extension
// folder, so the folder is found by walking up to the package root rather than by a fixed
// relative path.
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'layerwise';

function isPackageRoot(dir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return manifest.name === PACKAGE_NAME;
  } catch {
    return false; // no package.json here, or not JSON: keep walking
  }
}

/** The nearest folder at or above `start` whose package.json is named `layerwise`, or undefined. */
export function findPackageRoot(start: string = __dirname): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isPackageRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `<package root>/data`, or undefined when no package root is found above `start`. */
export function findDataDir(start: string = __dirname): string | undefined {
  const root = findPackageRoot(start);
  return root === undefined ? undefined : path.join(root, 'data');
}
