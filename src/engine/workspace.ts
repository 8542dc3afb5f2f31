// The workspace root of a request and the guard every checkpoint, export and run-folder path
// goes through (`resolveInWorkspace`): relative paths resolve against the root, and nothing may
// end up outside it, symbolic links included.
import * as path from 'path';
import { EngineError } from './errors';
import { resolveInWorkspace } from './paths';

export function workspaceRoot(option: string | undefined): string {
  return path.resolve(option ?? process.cwd());
}

/** `p` resolved against `root`; an EngineError naming `what` when it leaves the workspace. */
export function resolveWorkspacePath(root: string, p: string, what: string): string {
  const r = resolveInWorkspace(root, p, root);
  if (r.ok) return r.path;
  throw new EngineError('path_outside_workspace', `${what}: ${r.message}${/outside/.test(r.message) ? ' (or pass --workspace)' : ''}`, { file: p });
}
