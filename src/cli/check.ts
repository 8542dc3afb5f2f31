// `layerwise check FILE...`: validates model files, prints their diagnostics and summary.
// Exit code 0 when every file is valid, 1 when any has an error, 2 when a file cannot be read.
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyzeModel } from '../analysis/analyze';
import { formatDiagnostics, formatSummary } from './format';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

const MODEL_SUFFIX = '.nn.yaml';

/** The files to check: the named files, and the model files directly inside named folders. */
async function expand(arg: string): Promise<string[]> {
  const stat = await fs.stat(arg);
  if (!stat.isDirectory()) return [arg];
  const names = (await fs.readdir(arg)).filter((n) => n.endsWith(MODEL_SUFFIX)).sort();
  return names.map((n) => path.join(arg, n));
}

function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a folder';
  return err instanceof Error ? err.message : String(e);
}

export async function runCheck(files: string[], out: Output): Promise<number> {
  if (files.length === 0) {
    out.error('layerwise check: name at least one model file (*.nn.yaml) or folder.');
    return 2;
  }
  let unreadable = false;
  let invalid = false;
  for (const arg of files) {
    let targets: string[];
    try {
      targets = await expand(arg);
    } catch (e) {
      out.error(`${arg}: cannot read: ${errorMessage(e)}`);
      unreadable = true;
      continue;
    }
    if (targets.length === 0) out.error(`${arg}: the folder has no ${MODEL_SUFFIX} files.`);
    for (const file of targets) {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (e) {
        out.error(`${file}: cannot read: ${errorMessage(e)}`);
        unreadable = true;
        continue;
      }
      const result = analyzeModel(text);
      for (const line of formatDiagnostics(file, text, result.diagnostics)) out.error(line);
      if (result.diagnostics.some((d) => d.severity === 'error')) invalid = true;
      if (result.summary) {
        const name = typeof result.model?.name?.value === 'string' ? result.model.name.value : path.basename(file, MODEL_SUFFIX);
        out.log(formatSummary(result.summary, `${name} (${file})`));
        out.log('');
      }
    }
  }
  return unreadable ? 2 : invalid ? 1 : 0;
}
