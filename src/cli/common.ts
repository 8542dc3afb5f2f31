// What the engine subcommands (train, eval, export, grad) share: the terminal output, reading
// and checking the model file, the engine connection, and turning engine errors into messages.
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyzeModel } from '../analysis/analyze';
import type { ErrorInfo, ProviderName, SessionRequestOptions } from '../engine/protocol';
import type { OptionSpec, ParsedOptions } from './args';
import { formatDiagnostics } from './format';
import { createEngineHost, type EngineHost } from './engine-host';

export interface Terminal {
  log(line: string): void;
  error(line: string): void;
  /** Raw text to stdout (progress bars); only used when `isTTY`. */
  write(text: string): void;
  isTTY: boolean;
  columns: number;
}

export const consoleTerminal: Terminal = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  write: (text) => process.stdout.write(text),
  get isTTY() {
    return Boolean(process.stdout.isTTY);
  },
  get columns() {
    return process.stdout.columns || 100;
  },
};

/** Options every engine subcommand takes. */
export const engineOptions: Record<string, OptionSpec> = {
  provider: { kind: 'string', value: 'P', doc: 'Execution provider: cpu (default), cuda, dml, coreml or auto.' },
  threads: { kind: 'int', value: 'N', doc: 'Intra-op threads (default: number of cores).' },
  workspace: { kind: 'string', value: 'DIR', doc: 'Folder that data, checkpoint and output paths must stay inside (default: current folder).' },
  'in-process': { kind: 'bool', doc: 'Run the engine inside this process instead of a worker (for debugging).' },
};

const PROVIDERS: ProviderName[] = ['cpu', 'cuda', 'dml', 'coreml', 'auto'];

export function sessionOptionsFrom(o: ParsedOptions): { ok: true; options: SessionRequestOptions } | { ok: false; message: string } {
  const provider = o.provider as string | undefined;
  if (provider !== undefined && !PROVIDERS.includes(provider as ProviderName)) return { ok: false, message: `--provider must be one of ${PROVIDERS.join(', ')}, got '${provider}'` };
  const threads = o.threads as number | undefined;
  if (threads !== undefined && threads < 1) return { ok: false, message: `--threads must be at least 1` };
  const workspace = path.resolve((o.workspace as string | undefined) ?? process.cwd());
  return { ok: true, options: { provider: provider as ProviderName | undefined, threads, workspace } };
}

/** A path from the command line, made absolute against the current folder (the engine resolves relative paths against the workspace). */
export function fromCwd(p: string): string;
export function fromCwd(p: string | undefined): string | undefined;
export function fromCwd(p: string | undefined): string | undefined {
  return p === undefined ? undefined : path.resolve(p);
}

/** `file` is the path as the user wrote it; `absolute` is what the engine gets and reports. */
export type ModelFile = { ok: true; file: string; absolute: string; text: string } | { ok: false; exitCode: number };

/** Reads the model and prints its diagnostics like `layerwise check`; errors stop the command (exit 1). */
export async function readModelFile(file: string | undefined, term: Terminal, command: string): Promise<ModelFile> {
  if (!file) {
    term.error(`layerwise ${command}: name the model file (*.nn.yaml). See 'layerwise ${command} --help'.`);
    return { ok: false, exitCode: 2 };
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    term.error(`${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (err as Error).message}`);
    return { ok: false, exitCode: 2 };
  }
  const analysis = analyzeModel(text);
  const shown = analysis.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  for (const line of formatDiagnostics(file, text, shown)) term.error(line);
  if (!analysis.model || analysis.diagnostics.some((d) => d.severity === 'error')) return { ok: false, exitCode: 1 };
  return { ok: true, file, absolute: path.resolve(file), text };
}

/**
 * Prints an engine error where it points: `file:line:col: error: message`, else with the command
 * name. A file that is the model is shown as the user wrote it.
 */
export function reportError(error: ErrorInfo, term: Terminal, command: string, model?: { file: string; absolute: string }): void {
  const file = error.file && model && error.file === model.absolute ? model.file : error.file;
  if (error.problems?.length && file) {
    for (const p of error.problems) term.error(`${file}:${p.line}:${p.col}: ${p.severity}: ${p.message} [${p.code}]`);
    return;
  }
  if (file && error.line) {
    term.error(`${file}:${error.line}${error.col ? `:${error.col}` : ''}: error: ${error.message}`);
    return;
  }
  term.error(`layerwise ${command}: error: ${error.message}`);
}

export function hostFor(o: ParsedOptions): EngineHost {
  return createEngineHost({ inProcess: Boolean(o['in-process']) });
}
