// Test runner loaded by VS Code's extension host (`extensionTestsPath`), in code-server's web
// workbench or in VS Code desktop via @vscode/test-electron. Runs the mocha suites and writes the
// outcome as JSON to a file the launcher reads: the web workbench gives the launcher no other
// reliable channel out of the extension host.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import Mocha from 'mocha';

export interface SuiteOutcome {
  passed: string[];
  failed: { title: string; error: string }[];
  /** Set when the run itself broke (a suite failed to load). */
  crash?: string;
  durationMs: number;
}

/** Where the outcome goes: LAYERWISE_VSCODE_RESULT, else a file in the first workspace folder. */
function resultPath(): string {
  const fromEnv = process.env.LAYERWISE_VSCODE_RESULT;
  if (fromEnv) return fromEnv;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new Error('No result path: set LAYERWISE_VSCODE_RESULT or open a folder.');
  return path.join(folder.uri.fsPath, '.layerwise-vscode-result.json');
}

function writeOutcome(outcome: SuiteOutcome): void {
  const file = resultPath();
  // Written whole, then renamed, so the launcher never reads half a file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(outcome, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  const started = Date.now();
  const outcome: SuiteOutcome = { passed: [], failed: [], durationMs: 0 };
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  try {
    // The suites call describe/it at load time, so the globals are set up before they are required.
    mocha.suite.emit('pre-require', globalThis, 'layerwise-vscode', mocha);
    require('./language.suite');
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => outcome.passed.push(t.fullTitle()));
      runner.on('fail', (t, err: Error) => outcome.failed.push({ title: t.fullTitle(), error: err?.stack ?? String(err) }));
    });
  } catch (e) {
    outcome.crash = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  outcome.durationMs = Date.now() - started;
  writeOutcome(outcome);
  if (outcome.crash || outcome.failed.length > 0) {
    throw new Error(`${outcome.failed.length} test(s) failed${outcome.crash ? `; run crashed: ${outcome.crash}` : ''}`);
  }
}
