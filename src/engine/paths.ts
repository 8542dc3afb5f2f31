// The workspace path guard: every data, checkpoint and export path a model file names must
// end up inside the workspace folder, after `..` and symbolic links are taken into account.
// A model file is untrusted input (it may come from a cloned repository), so it must not be
// able to read or overwrite files elsewhere on the machine.
//
// Resolution follows what the operating system will do when the file is opened: components
// are walked one at a time; an existing symbolic link is replaced by its target (so `link/..`
// goes to the parent of the link's target, not back to where the link sits); components that
// do not exist yet (a checkpoint about to be written) are taken as written.
import * as fs from 'fs';
import * as path from 'path';

export type PathResult = { ok: true; path: string } | { ok: false; message: string };

/** Symbolic links followed before giving up (Linux uses 40 too). */
const MAX_LINKS = 40;

type Resolved = { ok: true; path: string; viaLink: boolean } | { ok: false; message: string };

function splitComponents(p: string): { root: string; parts: string[] } {
  const root = path.parse(p).root;
  return { root, parts: p.slice(root.length).split(/[\\/]+/).filter((c) => c !== '') };
}

function realRoot(root: string): string {
  try {
    return fs.realpathSync.native(root);
  } catch {
    return root;
  }
}

/** The real path `p` (absolute) leads to, following links; not-yet-existing tails kept as written. */
function resolveReal(p: string, linksLeft: number, viaLink: boolean): Resolved {
  const { root, parts } = splitComponents(p);
  let current = realRoot(root);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '.') continue;
    if (part === '..') {
      current = path.dirname(current); // current is already real, so its parent is too
      continue;
    }
    const candidate = path.join(current, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(candidate);
    } catch {
      current = candidate; // does not exist (yet): nothing to follow
      continue;
    }
    if (!stat.isSymbolicLink()) {
      current = candidate;
      continue;
    }
    if (linksLeft === 0) return { ok: false, message: `too many symbolic links while resolving ${p}` };
    let target: string;
    try {
      target = fs.readlinkSync(candidate);
    } catch (err) {
      return { ok: false, message: `cannot read the symbolic link ${candidate}: ${(err as Error).message}` };
    }
    // Splice the link target in front of the remaining components without normalising them:
    // `..` after the link must apply to the target, which the recursive walk does.
    const rest = parts.slice(i + 1).join(path.sep);
    const base = path.isAbsolute(target) ? target : current + path.sep + target;
    return resolveReal(rest === '' ? base : base + path.sep + rest, linksLeft - 1, true);
  }
  return { ok: true, path: current, viaLink };
}

/** Whether `target` is `root` or lies below it (both absolute and resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/**
 * Resolves `p` (relative paths against `baseDir`, normally the model file's folder) and accepts
 * it only when the result, with symbolic links followed, is inside `workspaceRoot`.
 * Returns the resolved real path. Never throws.
 */
export function resolveInWorkspace(workspaceRoot: string, p: string, baseDir: string = workspaceRoot): PathResult {
  if (typeof p !== 'string' || p.trim() === '') return { ok: false, message: 'the path is empty' };
  if (p.includes('\0')) return { ok: false, message: `the path ${JSON.stringify(p)} contains a NUL character` };
  let root: string;
  try {
    root = fs.realpathSync.native(path.resolve(workspaceRoot));
  } catch (err) {
    return { ok: false, message: `the workspace folder ${workspaceRoot} cannot be resolved: ${(err as Error).message}` };
  }
  // Join without normalising, so `..` is applied after symbolic links, as the OS does.
  const joined = path.isAbsolute(p) ? p : path.resolve(baseDir) + path.sep + p;
  const resolved = resolveReal(joined, MAX_LINKS, false);
  if (!resolved.ok) return { ok: false, message: `path "${p}": ${resolved.message}` };
  if (!isInside(root, resolved.path)) {
    const how = resolved.viaLink ? ' (following symbolic links)' : '';
    return {
      ok: false,
      message: `path "${p}" resolves to ${resolved.path}${how}, which is outside the workspace folder ${root}; data, checkpoint and export files must be inside the workspace`,
    };
  }
  return { ok: true, path: resolved.path };
}
