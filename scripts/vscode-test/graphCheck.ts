// The graph editor in a real VS Code: open an example, open its graph beside the text, drag a
// Dense layer from the palette onto the canvas, connect it by dragging between ports (a second
// input: the invalid connection shows on the card and in the Problems panel), remove the old edge,
// change its units in the property panel, and check after each step that the file holds exactly
// the text src/model/edit.ts makes and that the graph re-rendered; undo restores the text. Then a
// small CNN is built in an empty file with the keyboard alone and must validate.
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { analyzeModel } from '../../src/analysis/analyze';
import { addLayer, applyEdits, connect, disconnect, setLayerParam, type EditResult } from '../../src/model/edit';
import { newLayerParams } from '../../webview/graph/logic/palette';
import { workbenchUrl } from './codeServer';
import type { FeatureCheck, FeatureCheckContext } from './featureChecks';

const stepTimeout = 30_000;

function edited(text: string, r: EditResult): string {
  if (!r.ok) throw new Error(`the expected edit failed: ${r.error}`);
  return applyEdits(text, r.edits);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = stepTimeout): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last instanceof Error ? last.message : String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: stepTimeout });
  await row.click();
}

async function openFile(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(file);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
  await row.waitFor({ state: 'visible', timeout: stepTimeout });
  await row.click();
}

/** Saves the document (the graph editor's Save is the text document's) and waits for `expected` on disk. */
async function expectFile(page: Page, file: string, expected: string, what: string): Promise<void> {
  await page.keyboard.press('Control+S');
  await until(`${what}: the file to hold the expected text`, async () => (fs.readFileSync(file, 'utf8') === expected ? true : undefined), 15_000).catch((e) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- expected ---\n${expected}\n--- on disk ---\n${fs.readFileSync(file, 'utf8')}`);
  });
}

function graphFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

function card(graph: FrameLocator, id: string): Locator {
  return graph.locator(`.react-flow__node[data-id="${id}"]`);
}

async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const box = await l.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function dragMouse(page: Page, from: Locator, to: Locator, during?: () => Promise<unknown>): Promise<void> {
  const a = await centre(from);
  const b = await centre(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(a.x + ((b.x - a.x) * i) / 10, a.y + ((b.y - a.y) * i) / 10);
  await during?.();
  await page.mouse.up();
}

async function run(ctx: FeatureCheckContext): Promise<void> {
  const page = await ctx.browser.newPage();
  const shot = (name: string) => page.screenshot({ path: path.join(ctx.artifacts, name) }).catch(() => undefined);
  const name = 'digits-mlp.nn.yaml';
  const file = path.join(ctx.workspace, name);
  const original = fs.readFileSync(file, 'utf8');
  // The empty file for the keyboard journey exists from the start, so Quick Open lists it.
  fs.writeFileSync(path.join(ctx.workspace, 'keyboard-cnn.nn.yaml'), '');
  try {
    await page.goto(workbenchUrl(ctx.server, ctx.workspace, ctx.extensionPath), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view').getByText(name).waitFor({ timeout: 60_000 });
    await openFile(page, name);
    await page.locator('.part.editor .monaco-editor .view-lines').first().waitFor({ timeout: stepTimeout });
    // Room for the text and the graph side by side.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');

    // The editor-title button opens the graph beside the text.
    await page.locator('.editor-actions [aria-label="Open Graph Editor"], .editor-actions .action-label[aria-label*="Open Graph Editor"]').first().click({ timeout: stepTimeout });
    const graph = graphFrame(page);
    await card(graph, 'hidden2').waitFor({ state: 'visible', timeout: 60_000 });
    ctx.log('graph editor open beside the text editor');
    await shot('01-graph-open.png');

    // 1. Drag Dense from the palette onto empty canvas: appended at the end of the layers.
    const withDense = edited(original, addLayer(original, { kind: 'Dense', id: 'dense_1', params: newLayerParams('Dense') }));
    await graph.locator('.palette-item[data-kind="Dense"]').dragTo(graph.locator('.react-flow__pane'), { targetPosition: { x: 40, y: 40 } });
    await card(graph, 'dense_1').waitFor({ state: 'visible', timeout: stepTimeout });
    await expectFile(page, file, withDense, 'after dropping Dense');
    ctx.log('Dense dropped from the palette: text as addLayer makes it, new card drawn');
    await shot('02-dense-added.png');

    // 2. Connect hidden2 → dense_1 by dragging between ports: a second input for a Dense layer.
    // The property panel floats over the canvas in a narrow editor: hide it, fit the graph.
    const togglePanel = graph.locator('.toolbar button[aria-label="Show or hide the property panel"]');
    await togglePanel.click();
    await graph.locator('.toolbar button[aria-label="Fit the whole graph in view"]').click();
    // Away from the canvas' edges, where dragging a connection pans the view.
    for (let i = 0; i < 2; i++) await graph.locator('.toolbar button[aria-label="Zoom out"]').click();
    await page.waitForTimeout(500);
    const connected = edited(withDense, connect(withDense, 'hidden2', 'dense_1'));
    await dragMouse(page, card(graph, 'hidden2').locator('.port-out'), card(graph, 'dense_1').locator('.port-in'), () => shot('03a-connecting.png'));
    await expectFile(page, file, connected, 'after connecting hidden2 to dense_1');
    const problem = analyzeModel(connected).diagnostics.find((d) => d.layer === 'dense_1' && d.severity === 'error');
    if (!problem) throw new Error('the analyser reports no error for the second input; the check expects one');
    await until('the error on the dense_1 card', async () => ((await card(graph, 'dense_1').locator('.layer-card.has-error').count()) > 0 ? true : undefined));
    const title = await card(graph, 'dense_1').locator('.layer-card').getAttribute('title');
    if (!title?.includes(problem.message)) throw new Error(`the card's hover text ${JSON.stringify(title)} lacks ${JSON.stringify(problem.message)}`);
    await shot('03-invalid-connection.png');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await until('the problem in the Problems panel', async () => ((await problems.innerText()).replace(/\u00a0/g, ' ').includes(problem.message) ? true : undefined));
    ctx.log(`invalid connection shown on the card and in the Problems panel: ${problem.code}`);
    await shot('04-problems-panel.png');

    // 3. Select the old edge logits → dense_1 and delete it.
    const disconnected = edited(connected, disconnect(connected, 'logits', 'dense_1'));
    await page.keyboard.press('Control+J'); // the Problems panel covered the canvas
    await page.waitForTimeout(300);
    // A vertical edge's box has no width, which Playwright calls invisible: click it by position,
    // near its source end (its target end is the handle that drags the connection elsewhere).
    const edgeBox = await graph.locator('.react-flow__edge[data-id="dense_1:0"] .react-flow__edge-interaction').boundingBox();
    if (!edgeBox) throw new Error('the edge logits → dense_1 is not drawn');
    await page.mouse.click(edgeBox.x + edgeBox.width / 2, edgeBox.y + edgeBox.height * 0.2);
    await graph.locator('.react-flow__edge.selected[data-id="dense_1:0"]').waitFor({ timeout: stepTimeout });
    await page.keyboard.press('Delete');
    await expectFile(page, file, disconnected, 'after deleting the edge logits → dense_1');
    await until('the error to clear from dense_1', async () => ((await card(graph, 'dense_1').locator('.layer-card.has-error').count()) === 0 ? true : undefined));

    // 4. Units in the property panel.
    const tenUnits = edited(disconnected, setLayerParam(disconnected, 'dense_1', 'units', 10));
    await togglePanel.click();
    await card(graph, 'dense_1').click();
    const units = graph.locator('.panel vscode-textfield[data-param="units"] input');
    await units.fill('ten');
    await graph.locator('.panel .field-error', { hasText: 'units must be a whole number' }).waitFor({ timeout: stepTimeout });
    await units.fill('10');
    await units.press('Enter');
    await expectFile(page, file, tenUnits, 'after setting units to 10');
    await until('the card to show [10]', async () => ((await card(graph, 'dense_1').locator('.card-shape').innerText()) === '[10]' ? true : undefined));
    ctx.log('units changed in the property panel: text as setLayerParam makes it, card shows [10]');
    await shot('05-units-changed.png');

    // 5. Undo (from the graph: focus on its canvas, not in a field) restores the text.
    const pane = await graph.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('the canvas is not drawn');
    await page.mouse.click(pane.x + 16, pane.y + pane.height - 16);
    await page.keyboard.press('Control+Z');
    await expectFile(page, file, disconnected, 'after undo');
    await until('the card to show [64] again', async () => ((await card(graph, 'dense_1').locator('.card-shape').innerText()) === '[64]' ? true : undefined));
    ctx.log('undo restored the text and the graph followed');
    await shot('06-undo.png');

    // 6. An edit typed in the text shows in the graph quickly: key press → card text changed.
    const line = disconnected.split('\n').findIndex((l, i, all) => l.trim() === 'units: 64' && all.slice(0, i).some((x) => x.includes('id: hidden2')));
    await graph.locator('.react-flow__node[data-id="hidden2"] .card-params').evaluate((el) => {
      const w = window as unknown as { __changedAt?: number };
      w.__changedAt = undefined;
      const before = el.textContent;
      new MutationObserver(() => {
        if (el.textContent !== before && w.__changedAt === undefined) w.__changedAt = Date.now();
      }).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: stepTimeout });
    await page.keyboard.type(String(line + 1));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    const typedAt = await page.evaluate(() => Date.now());
    await page.keyboard.type('0');
    const changedAt = await until('the hidden2 card to show the typed units', () =>
      graph.locator('body').evaluate(() => (window as unknown as { __changedAt?: number }).__changedAt),
    );
    const latency = changedAt - typedAt;
    const params = await card(graph, 'hidden2').locator('.card-params').innerText();
    if (!params.includes('units 640')) throw new Error(`the card shows ${JSON.stringify(params)} after typing units 640`);
    // Reported, not asserted: speed targets live in benchmarks, and this machine's load varies.
    ctx.log(`typed edit visible in the graph ${latency} ms after the key press`);
    await shot('07-typed-edit.png');
    await page.keyboard.press('Control+Z');
    await expectFile(page, file, disconnected, 'after undoing the typed edit');

    await runCommand(page, 'View: Close All Editors');
    await keyboardCnn(page, ctx, shot);
  } catch (err) {
    await shot('graph-failure.png');
    throw err;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** An empty file becomes a small CNN with the keyboard alone; the YAML must be clean and valid. */
async function keyboardCnn(page: Page, ctx: FeatureCheckContext, shot: (n: string) => Promise<unknown>): Promise<void> {
  const name = 'keyboard-cnn.nn.yaml';
  const file = path.join(ctx.workspace, name);
  await openFile(page, name);
  await runCommand(page, 'Layerwise: Open Graph Editor');
  const graph = graphFrame(page);
  await graph.locator('.empty-state').waitFor({ state: 'visible', timeout: 60_000 });

  // Tab to the palette's search field.
  const activeIsSearch = () => graph.locator('body').evaluate(() => !!document.activeElement?.classList.contains('palette-search'));
  for (let i = 0; i < 40 && !(await activeIsSearch()); i++) await page.keyboard.press('Tab');
  if (!(await activeIsSearch())) throw new Error('Tab never reached the palette search');

  let expected = '';
  let previous: string | undefined;
  const steps: [string, string][] = [
    ['Input', 'input_1'],
    ['Conv2D', 'conv2d_1'],
    ['MaxPool2D', 'maxpool2d_1'],
    ['Flatten', 'flatten_1'],
    ['Dense', 'dense_1'],
  ];
  for (const [kind, id] of steps) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(kind);
    await page.keyboard.press('Enter');
    expected = edited(expected, addLayer(expected, { kind, id, params: newLayerParams(kind) }, { after: previous }));
    previous = id;
    await card(graph, id).waitFor({ state: 'visible', timeout: stepTimeout });
    await until(`${id} to be selected`, async () => ((await card(graph, id).locator('.layer-card.is-selected').count()) > 0 ? true : undefined));
  }
  await expectFile(page, file, expected, 'after adding five layers with the keyboard');

  // Focus the graph's cards (Tab), walk down with the arrow keys, Enter edits, Tab to units.
  const activeNode = () => graph.locator('body').evaluate(() => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') ?? null);
  for (let i = 0; i < 20 && (await activeNode()) === null; i++) await page.keyboard.press('Tab');
  if ((await activeNode()) === null) throw new Error('Tab never reached a layer card');
  for (let i = 0; i < 6 && (await activeNode()) !== 'dense_1'; i++) await page.keyboard.press('ArrowDown');
  if ((await activeNode()) !== 'dense_1') throw new Error(`ArrowDown stopped at ${await activeNode()}, not dense_1`);
  await page.keyboard.press('Enter');
  const activeParam = () => graph.locator('body').evaluate(() => document.activeElement?.getAttribute('data-param') ?? null);
  await until('the property panel to take focus', async () => ((await activeParam()) !== null ? true : undefined));
  for (let i = 0; i < 6 && (await activeParam()) !== 'units'; i++) await page.keyboard.press('Tab');
  if ((await activeParam()) !== 'units') throw new Error('Tab never reached the units field');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  expected = edited(expected, setLayerParam(expected, 'dense_1', 'units', 10));
  await expectFile(page, file, expected, 'after setting units with the keyboard');
  const errors = analyzeModel(expected).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  if (errors.length > 0) throw new Error(`the keyboard-built model has problems: ${errors.map((d) => d.message).join('; ')}`);
  ctx.log(`a CNN built from an empty file with the keyboard alone validates:\n${expected}`);
  await shot('08-keyboard-cnn.png');
}

export const graphCheck: FeatureCheck = {
  name: 'graph',
  description: 'graph editor: palette drag, port connect, edge delete, property edit, undo, problems; a CNN by keyboard',
  run,
};
