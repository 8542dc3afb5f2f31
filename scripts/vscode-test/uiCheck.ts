// The extension as a user meets it, through the workbench's UI: open a model, break it by typing,
// find the problem in the Problems panel, undo, run "Layerwise: Check Model" from the command
// palette and find its summary in the Output panel. Screenshots go to the artifacts folder.
import * as path from 'path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { workbenchUrl, type CodeServer } from './codeServer';

export interface UiExpectations {
  file: string;
  /** 1-based line to break, and what to type at its end. */
  line: number;
  typed: string;
  /** The problem (message, then location) the Problems panel must then show. */
  problem: string[];
  /** Lines the Output panel must show after "Check Model" on the unbroken file. */
  outputLines: string[];
}

const stepTimeout = 30_000;

/** Monaco renders spaces as no-break spaces; compare text as a user reads it. */
async function visibleText(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\u00a0/g, ' ');
}

async function waitForText(page: Page, locator: Locator, wanted: string, what: string): Promise<void> {
  const deadline = Date.now() + stepTimeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await visibleText(locator).catch(() => '');
    if (last.includes(wanted)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}: did not show ${JSON.stringify(wanted)} within ${stepTimeout} ms; it showed:\n${last}`);
}

/** Opens a quick input (Quick Open, the command palette), filters it and picks the row showing `label`. */
async function quickPick(page: Page, open: string, filter: string, label: string): Promise<void> {
  await page.keyboard.press(open);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(filter);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: stepTimeout });
  await row.click();
}

export async function runUiCheck(
  browser: BrowserContext,
  server: CodeServer,
  opts: { workspace: string; extensionPath: string; artifacts: string; expect: UiExpectations },
): Promise<void> {
  const page = await browser.newPage();
  const shot = (name: string) => page.screenshot({ path: path.join(opts.artifacts, name) }).catch(() => undefined);
  const e = opts.expect;
  try {
    await page.goto(workbenchUrl(server, opts.workspace, opts.extensionPath), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer lists the workspace once the remote file system is connected.
    await page.locator('.explorer-folders-view').getByText(e.file).waitFor({ timeout: 60_000 });

    await quickPick(page, 'Control+P', e.file, e.file);
    const editor = page.locator('.part.editor .monaco-editor .view-lines').first();
    await waitForText(page, editor, 'layers:', 'the editor');
    // The file gets the extension's language, shown in the status bar.
    await waitForText(page, page.locator('.part.statusbar'), 'Layerwise Model', 'the status bar');
    await shot('01-model-open.png');

    // Break the model by typing at the end of a line, as a user would.
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: stepTimeout });
    await page.keyboard.type(String(e.line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(e.typed, { delay: 30 });
    await page.locator('.part.editor .squiggly-error').first().waitFor({ state: 'visible', timeout: stepTimeout });

    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    for (const part of e.problem) await waitForText(page, problems, part, 'the Problems panel');
    await shot('02-problem-in-problems-panel.png');

    // Undo the edit: the problem goes away again.
    await page.locator('.part.editor .monaco-editor textarea').first().focus();
    for (let i = 0; i < e.typed.length; i++) await page.keyboard.press('Control+Z');
    await waitForText(page, problems, 'No problems have been detected', 'the Problems panel after undo');

    // The command palette's filter starts with `>`; filling the input replaces it.
    await quickPick(page, 'F1', '>Layerwise: Check Model', 'Layerwise: Check Model');
    const output = page.locator('.part.panel .output-view .view-lines, .part.panel .view-lines').first();
    // The output scrolls to its end: the summary's last line shows first; the panel is then
    // maximised so that the whole report is on screen.
    await waitForText(page, output, e.outputLines[e.outputLines.length - 1], 'the Layerwise output');
    await quickPick(page, 'F1', '>View: Toggle Maximized Panel', 'Toggle Maximized Panel');
    for (const line of e.outputLines) await waitForText(page, output, line, 'the Layerwise output');
    await shot('03-check-model-output.png');
  } catch (err) {
    await shot('ui-failure.png');
    throw err;
  } finally {
    await page.close().catch(() => undefined);
  }
}
