// `npm run test:vscode`: the extension inside a real VS Code (code-server's web workbench, driven
// by playwright-core in Debian's chromium). Builds the extension and the in-editor suite, starts
// code-server on a free local port with throwaway state, runs the extension-host API suite, then
// the UI check, and always stops what it started. Screenshots and logs: test-artifacts/vscode/.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import { analyzeModel } from '../../src/analysis/analyze';
import { toEditorDiagnostics } from '../../src/language/diagnostics';
import { runApiSuite } from './apiSuite';
import { launchBrowser } from './browser';
import { bundleSuite, suiteBundle } from './buildSuite';
import { startCodeServer, stopProcessGroup, type CodeServer } from './codeServer';
import { runUiCheck, type UiExpectations } from './uiCheck';
import { featureChecks, type FeatureCheckContext } from './featureChecks';

const root = path.resolve(__dirname, '../..');
const artifacts = path.resolve(root, process.env.LAYERWISE_VSCODE_ARTIFACTS ?? 'test-artifacts/vscode');
/**
 * Which parts to run: `LAYERWISE_VSCODE_ONLY=api,language,graph` (comma-separated names; `api` is
 * the extension-host suite, `language` the language UI check, the rest are featureChecks' names).
 * Unset runs everything.
 */
const only = process.env.LAYERWISE_VSCODE_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = (name: string): boolean => !only || only.includes(name);
/** The whole run is bounded, so CI never hangs on a stuck browser or server. */
const overallTimeoutMs = 10 * 60_000;

function log(message: string): void {
  console.log(`[vscode-test ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function buildAll(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  await bundleSuite();
}

function makeWorkspace(stateDir: string, name: string): string {
  const dir = path.join(stateDir, name);
  fs.cpSync(path.join(root, 'examples'), dir, { recursive: true });
  return dir;
}

/** What the UI check must see, worked out from the example and the analyser rather than written down. */
function uiExpectations(workspace: string): UiExpectations {
  const file = 'digits-cnn.nn.yaml';
  const text = fs.readFileSync(path.join(workspace, file), 'utf8');
  const target = 'type: MaxPool2D';
  const index = text.split('\n').findIndex((l) => l.trimEnd().endsWith(target));
  if (index < 0) throw new Error(`${file} has no line ending in "${target}"`);
  const typed = 'X';
  const lines = text.split('\n');
  lines[index] = lines[index].trimEnd() + typed;
  const brokenText = lines.join('\n');
  const broken = toEditorDiagnostics(brokenText, analyzeModel(brokenText).diagnostics).filter((d) => d.severity === 'error');
  if (broken.length !== 1) throw new Error(`expected one error in the broken model, the analyser gives ${broken.length}`);
  const at = broken[0].range.start;
  const cli = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', path.join(workspace, file)], { encoding: 'utf8' });
  const total = cli.split('\n').find((l) => l.startsWith('Total: '));
  if (!total) throw new Error(`the CLI's summary has no "Total:" line:\n${cli}`);
  return {
    file,
    line: index + 1,
    typed,
    problem: [broken[0].message, `[Ln ${at.line + 1}, Col ${at.character + 1}]`],
    outputLines: [`Check ${file}: 0 error(s), 0 warning(s).`, total],
  };
}

/** What this run started, so that every way out (end, failure, timeout, signal) can stop it. */
const running: { server?: CodeServer; browser?: BrowserContext; stateDir?: string } = {};

async function cleanUp(): Promise<void> {
  const { server, browser, stateDir } = running;
  running.server = running.browser = running.stateDir = undefined;
  await browser?.close().catch(() => undefined);
  if (server) {
    await stopProcessGroup(server.process);
    if (fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(artifacts, 'code-server.log'));
  }
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
}

async function main(): Promise<number> {
  const started = Date.now();
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  log('building the extension and the in-editor suite');
  await buildAll();

  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerwise-vscode-'));
  running.stateDir = stateDir;
  let failures = 0;
  try {
    const server = (running.server = await startCodeServer(stateDir, 60_000));
    log(`code-server at ${server.url}`);
    const browser = (running.browser = await launchBrowser(stateDir));

    if (selected('api')) {
      log('API suite in the extension host');
      const outcome = await runApiSuite(browser, server, {
        workspace: makeWorkspace(stateDir, 'api-workspace'),
        extensionPath: root,
        suiteModule: suiteBundle,
        artifacts,
        timeoutMs: 180_000,
      });
      fs.writeFileSync(path.join(artifacts, 'api-suite-result.json'), JSON.stringify(outcome, null, 2));
      for (const t of outcome.passed) log(`  pass  ${t}`);
      for (const f of outcome.failed) log(`  FAIL  ${f.title}\n${f.error}`);
      if (outcome.crash) log(`  the suite crashed: ${outcome.crash}`);
      if (outcome.passed.length === 0 || outcome.failed.length > 0 || outcome.crash) failures++;
    }

    if (selected('language')) {
      log('UI check with playwright');
      const uiWorkspace = makeWorkspace(stateDir, 'ui-workspace');
      try {
        await runUiCheck(browser, server, { workspace: uiWorkspace, extensionPath: root, artifacts, expect: uiExpectations(uiWorkspace) });
        log('  pass  UI: problem in the Problems panel, Check Model summary in the Output panel');
      } catch (e) {
        failures++;
        log(`  FAIL  UI: ${e instanceof Error ? e.message : String(e)}`);
      }
    }

    for (const check of featureChecks.filter((c) => selected(c.name))) {
      log(`UI check: ${check.name}`);
      const context: FeatureCheckContext = {
        browser,
        server,
        workspace: makeWorkspace(stateDir, `${check.name}-workspace`),
        extensionPath: root,
        artifacts: path.join(artifacts, check.name),
        log: (message) => log(`  ${message}`),
      };
      fs.mkdirSync(context.artifacts, { recursive: true });
      try {
        await check.run(context);
        log(`  pass  ${check.name}: ${check.description}`);
      } catch (e) {
        failures++;
        log(`  FAIL  ${check.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  } finally {
    await cleanUp();
  }
  log(`${failures === 0 ? 'passed' : `${failures} part(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${path.relative(root, artifacts)}/`);
  return failures === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  log(`timed out after ${overallTimeoutMs / 1000} s`);
  void cleanUp().finally(() => process.exit(1));
}, overallTimeoutMs);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(1)));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
