// Runs test/vscode/suite inside the workbench's extension host (`extensionTestsPath`) and reads
// the outcome the suite writes into its workspace.
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import type { SuiteOutcome } from '../../test/vscode/suite/index';
import { workbenchUrl, type CodeServer } from './codeServer';

export const resultFileName = '.layerwise-vscode-result.json';

export async function runApiSuite(
  browser: BrowserContext,
  server: CodeServer,
  opts: { workspace: string; extensionPath: string; suiteModule: string; artifacts: string; timeoutMs: number },
): Promise<SuiteOutcome> {
  const resultFile = path.join(opts.workspace, resultFileName);
  fs.rmSync(resultFile, { force: true });
  const page = await browser.newPage();
  try {
    await page.goto(workbenchUrl(server, opts.workspace, opts.extensionPath, opts.suiteModule), { timeout: 60_000 });
    const deadline = Date.now() + opts.timeoutMs;
    while (!fs.existsSync(resultFile)) {
      if (Date.now() > deadline) {
        throw new Error(`The extension-host suite wrote no result within ${opts.timeoutMs} ms (see code-server.log in the artifacts)`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteOutcome;
  } finally {
    await page.screenshot({ path: path.join(opts.artifacts, 'api-suite-workbench.png') }).catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}
