// Explain Predictions as a user does it, in the real workbench: shapes-cnn is trained first with
// the CLI (a short copy of the example), then opened; `Explain` in the CodeLens opens the view,
// which lists the validation samples and explains the first with Integrated Gradients. The check
// reads back the heatmap canvas's pixels, the predictions and the trust-check numbers, adds
// occlusion for a side-by-side comparison, switches the method and the explained class, filters
// misclassified samples, opens an image file, and reopens the view from the run in the Runs
// view; then a tabular model (bars, a typed row) and a token model (heat strip) from the palette.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { encodePng } from '../../src/explain/png';
import { workbenchUrl } from './codeServer';
import type { FeatureCheck, FeatureCheckContext } from './featureChecks';
import { runPaletteCommand, waitForReading, waitUntil } from './workbench';

const MODEL = 'shapes-cnn.nn.yaml';
const stepTimeout = 90_000;

const until = <T>(page: Page, what: string, probe: () => Promise<T | undefined>, timeout = stepTimeout): Promise<T> => waitUntil(page, what, probe, timeout);

interface ViewState {
  state: string;
  source: string;
  target: string;
  methods: string;
  done: number;
  trained: string;
}

/** The Explain view's frame and its root's data attributes. */
async function readView(page: Page): Promise<{ frame: Frame; v: ViewState } | undefined> {
  for (const frame of page.frames()) {
    const d = await frame
      .evaluate(() => {
        const app = document.querySelector<HTMLElement>('#app.explain');
        return app ? { ...app.dataset } : undefined;
      })
      .catch(() => undefined);
    if (d) return { frame, v: { state: d.state ?? '', source: d.source ?? '', target: d.target ?? '', methods: d.methods ?? '', done: Number(d.done ?? 0), trained: d.trained ?? '' } };
  }
  return undefined;
}

function viewWhen(page: Page, what: string, ok: (v: ViewState) => boolean, timeout = stepTimeout): Promise<{ frame: Frame; v: ViewState }> {
  return waitForReading(page, what, () => readView(page), (d) => ok(d.v), timeout, (d) => `the view showed ${JSON.stringify(d?.v)}`);
}

interface PanelNumbers {
  state: string;
  target: number;
  spearman: number;
  alike: string;
  gap: number;
  absSum: number;
  changed: number;
  /** Pixels of the map canvas that differ from the same pixel of the input canvas. */
  differFromInput: number;
  /** Distinct colours on the map canvas. */
  colours: number;
  width: number;
  trust: string;
}

/** A method panel's numbers, and its canvas read back pixel by pixel against the input's canvas. */
async function readPanel(frame: Frame, method: string): Promise<PanelNumbers> {
  const raw = await frame.evaluate((m) => {
    const panel = document.querySelector<HTMLElement>(`.panel[data-method="${m}"]`);
    if (!panel) throw new Error(`no ${m} panel`);
    const map = panel.querySelector<HTMLElement>('.map');
    const canvas = panel.querySelector<HTMLCanvasElement>('canvas.map-canvas');
    const input = document.querySelector<HTMLCanvasElement>('canvas.input-canvas');
    let differFromInput = -1;
    let colours = 0;
    let width = 0;
    if (canvas && input) {
      const a = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const b = input.getContext('2d')!.getImageData(0, 0, input.width, input.height).data;
      width = canvas.width;
      differFromInput = 0;
      const seen = new Set<number>();
      for (let i = 0; i < a.length; i += 4) {
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differFromInput++;
        seen.add((a[i] << 16) | (a[i + 1] << 8) | a[i + 2]);
      }
      colours = seen.size;
    }
    // Plain values only: helpers defined in here would need the bundler's name helper in the page.
    return {
      state: panel.dataset.state ?? '',
      target: panel.dataset.target,
      spearman: panel.dataset.spearman,
      alike: panel.dataset.alike ?? '',
      gap: panel.dataset.gap,
      absSum: map?.dataset.mapAbsSum,
      changed: map?.dataset.changedPixels,
      differFromInput,
      colours,
      width,
      trust: (panel.querySelector('.trust-checks') as HTMLElement | null)?.innerText ?? '',
    };
  }, method);
  const num = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));
  return { ...raw, target: num(raw.target), spearman: num(raw.spearman), gap: num(raw.gap), absSum: num(raw.absSum), changed: num(raw.changed) };
}

const command = (page: Page, title: string): Promise<void> => runPaletteCommand(page, title, stepTimeout);

async function openModel(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().click();
  await page.locator('.part.editor .monaco-editor .view-lines').first().getByText('layers:').waitFor({ timeout: stepTimeout });
}

/** A 64 x 64 white picture with a black upright triangle, as a user might draw one. */
function trianglePng(): Buffer {
  const n = 64;
  const pixels = new Uint8Array(n * n * 3).fill(255);
  for (let y = 12; y < 52; y++) {
    const half = ((y - 12) / 40) * 20;
    for (let x = Math.round(32 - half); x <= Math.round(32 + half); x++) pixels.fill(0, 3 * (y * n + x), 3 * (y * n + x) + 3);
  }
  return encodePng({ width: n, height: n, pixels });
}

/** Trains the short copy of shapes-cnn with the CLI in the workspace; returns the run folder. */
function trainWithCli(ctx: FeatureCheckContext): string {
  const file = path.join(ctx.workspace, MODEL);
  const text = fs.readFileSync(file, 'utf8');
  const short = text.replace(/^  samples: \d+/m, '  samples: 1200').replace(/^  epochs: \d+/m, '  epochs: 6');
  if (short === text) throw new Error(`${MODEL} has no samples/epochs to shorten`);
  fs.writeFileSync(file, short);
  const started = Date.now();
  const out = execFileSync(process.execPath, [path.join(ctx.extensionPath, 'dist', 'cli.js'), 'train', MODEL, '--threads', '2'], { cwd: ctx.workspace, encoding: 'utf8', timeout: 180_000 });
  ctx.log(`trained ${MODEL} with the CLI in ${((Date.now() - started) / 1000).toFixed(1)} s: ${out.trim().split('\n').slice(-2).join(' | ')}`);
  const runs = path.join(ctx.workspace, '.layerwise', 'runs', 'shapes-cnn');
  const dirs = fs.readdirSync(runs).map((d) => path.join(runs, d));
  if (dirs.length !== 1 || !fs.existsSync(path.join(dirs[0], 'best.ckpt'))) throw new Error(`expected one run with best.ckpt under ${runs}, found ${dirs.join(', ')}`);
  return dirs[0];
}

async function run(ctx: FeatureCheckContext): Promise<void> {
  const runDir = trainWithCli(ctx);
  const picture = path.join(ctx.workspace, 'triangle.png');
  fs.writeFileSync(picture, trianglePng());

  const page = await ctx.browser.newPage();
  await page.setViewportSize({ width: 1600, height: 1000 });
  const shot = (name: string) => page.screenshot({ path: path.join(ctx.artifacts, name) }).catch(() => undefined);
  try {
    await page.goto(workbenchUrl(ctx.server, ctx.workspace, ctx.extensionPath), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view').getByText(MODEL).waitFor({ timeout: 60_000 });
    await openModel(page, MODEL);

    // `Explain` in the CodeLens (the palette when the lens is missing, said in the log).
    const lens = page.locator('.part.editor .codelens-decoration a', { hasText: /^Explain$/ }).first();
    try {
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      ctx.log('clicked Explain in the CodeLens');
    } catch {
      ctx.log('no Explain CodeLens; running Layerwise: Explain Predictions from the palette');
      await command(page, 'Layerwise: Explain Predictions');
    }

    // The first validation sample, explained with Integrated Gradients; the view's group takes
    // the whole editor area so that the screenshots show the maps side by side.
    const first = await viewWhen(page, 'the first explanation', (v) => v.state === 'ready' && v.done >= 1 && v.source.startsWith('sample:'));
    await page.locator('.part.editor .tab', { hasText: `Explain: ${MODEL}` }).first().click();
    await command(page, 'View: Toggle Maximize Editor Group');
    const frame = first.frame;
    if (first.v.trained !== 'true') throw new Error(`the view did not pick the trained checkpoint (data-trained=${first.v.trained})`);
    const weights = await frame.locator('#weights').inputValue();
    if (!weights.startsWith(runDir)) throw new Error(`the view explains ${weights}, not the run ${runDir}`);
    const ig = await readPanel(frame, 'integrated_gradients');
    ctx.log(`IG on ${first.v.source}: target ${ig.target}, map canvas ${ig.width} px wide with ${ig.colours} colours, ${ig.differFromInput} pixels differ from the input; Spearman ρ ${ig.spearman.toFixed(3)}, completeness gap ${(100 * ig.gap).toFixed(2)} %`);
    if (ig.width !== 28 || ig.differFromInput < 100 || ig.colours < 20) throw new Error(`the heatmap canvas looks empty: ${JSON.stringify(ig)}`);
    if (ig.changed !== ig.differFromInput) throw new Error(`the view's own count of overlaid pixels (${ig.changed}) is not what the canvas holds (${ig.differFromInput})`);
    if (!Number.isFinite(ig.spearman) || !Number.isFinite(ig.gap) || ig.gap > 0.05) throw new Error(`trust numbers missing or off: ρ ${ig.spearman}, gap ${ig.gap}`);
    if (!/Spearman rank correlation/.test(ig.trust) || !/Completeness gap \d+\.\d\d %/.test(ig.trust) || !/Σ attributions/.test(ig.trust)) throw new Error(`the trust checks are not shown in words: ${ig.trust}`);
    const predictions = await frame.locator('.prediction').allInnerTexts();
    if (predictions.length !== 4 || !predictions.every((p) => /(circle|square|triangle|cross)[\s\S]*\d+\.\d %/.test(p))) throw new Error(`predictions not shown: ${JSON.stringify(predictions)}`);
    ctx.log(`predictions: ${predictions.map((p) => p.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    await shot('01-explain-integrated-gradients.png');

    // The opacity slider: at 0 the heatmap canvas is the input itself, at 1 the map alone.
    await frame.locator('#opacity').fill('0');
    const clear = await until(page, 'opacity 0', async () => {
      const p = await readPanel(frame, 'integrated_gradients');
      return p.differFromInput === 0 ? p : undefined;
    });
    await frame.locator('#opacity').fill('1');
    const opaque = await until(page, 'opacity 1', async () => {
      const p = await readPanel(frame, 'integrated_gradients');
      return p.differFromInput > 0 && p.colours !== ig.colours ? p : undefined;
    });
    ctx.log(`opacity 0: ${clear.differFromInput} pixels differ from the input; opacity 1: ${opaque.differFromInput} (${opaque.colours} colours)`);
    await frame.locator('#opacity').fill('0.6');

    // Compare: occlusion beside Integrated Gradients.
    await frame.locator('input[type=checkbox][data-method="occlusion"]').check();
    await viewWhen(page, 'occlusion beside Integrated Gradients', (v) => v.methods === 'integrated_gradients,occlusion' && v.done === 2 && v.state === 'ready');
    const occ = await readPanel(frame, 'occlusion');
    if (occ.differFromInput < 100 || !Number.isFinite(occ.spearman) || occ.target !== ig.target) throw new Error(`the occlusion panel is not drawn: ${JSON.stringify(occ)}`);
    if (!Number.isNaN(occ.gap)) throw new Error('occlusion shows a completeness gap');
    ctx.log(`occlusion: ${occ.differFromInput} pixels overlaid, ρ ${occ.spearman.toFixed(3)} (alike: ${occ.alike})`);
    await shot('02-compare-ig-and-occlusion.png');

    // Switch method: the vanilla gradient alone (a magnitude, sequential colours).
    await frame.locator('input[type=checkbox][data-method="gradient"]').check();
    await frame.locator('input[type=checkbox][data-method="occlusion"]').uncheck();
    await frame.locator('input[type=checkbox][data-method="integrated_gradients"]').uncheck();
    await viewWhen(page, 'the gradient alone', (v) => v.methods === 'gradient' && v.done === 1 && v.state === 'ready');
    const grad = await readPanel(frame, 'gradient');
    const display = await frame.locator('.panel[data-method="gradient"] .map').getAttribute('data-display');
    if (display !== 'magnitude' || grad.differFromInput < 100) throw new Error(`the gradient map is not a drawn magnitude: ${display}, ${JSON.stringify(grad)}`);
    await shot('03-switched-to-gradient.png');

    // Switch target: explain the second most likely class.
    const second = frame.locator('.prediction').nth(1);
    const secondIndex = Number(await second.getAttribute('data-index'));
    await second.click();
    const switched = await viewWhen(page, 'the second class explained', (v) => v.target === String(secondIndex) && v.state === 'ready');
    const other = await readPanel(switched.frame, 'gradient');
    if (other.target !== secondIndex || other.absSum === grad.absSum) throw new Error(`the map did not change with the target: ${JSON.stringify(other)} vs ${JSON.stringify(grad)}`);
    ctx.log(`target switched from ${grad.target} to ${other.target}: Σ|map| ${grad.absSum.toExponential(3)} → ${other.absSum.toExponential(3)}`);
    await shot('04-switched-target.png');

    // Filter: misclassified samples only (every row shown is wrong; their number is the index's).
    await frame.locator('#filter-outcome').selectOption('misclassified');
    const wrong = Number(await frame.locator('.counts').getAttribute('data-misclassified'));
    const rows = await frame.locator('.sample').count();
    const wrongRows = await frame.locator('.sample.wrong').count();
    if (rows !== wrong || wrongRows !== wrong) throw new Error(`the misclassified filter shows ${rows} rows (${wrongRows} wrong) for ${wrong} misclassified samples`);
    ctx.log(`misclassified filter: ${rows} samples`);
    if (rows > 0) {
      const row = frame.locator('.sample').first();
      const sample = await row.getAttribute('data-sample');
      await row.click();
      await viewWhen(page, 'a misclassified sample explained', (v) => v.source === `sample:${sample}` && v.state === 'ready' && v.done === 1);
    }
    await shot('05-misclassified.png');

    // An image file: the host's file dialog, the picture fitted and inverted to the model's input.
    await frame.locator('input[type=checkbox][data-method="integrated_gradients"]').check();
    await frame.locator('#open-image').click();
    // code-server's own file dialog: a quick pick of the model's folder.
    const fileRow = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: path.basename(picture) }).first();
    await fileRow.waitFor({ state: 'visible', timeout: stepTimeout });
    await fileRow.click();
    await page.waitForTimeout(300);
    const dialog = page.locator('.quick-input-widget');
    if (await dialog.isVisible()) {
      const value = await dialog.locator('input').inputValue();
      if (!value.endsWith(path.basename(picture))) throw new Error(`the file dialog holds ${value} after choosing ${path.basename(picture)}`);
      await page.keyboard.press('Enter');
    }
    const image = await viewWhen(page, 'the picture explained', (v) => v.source.startsWith('input:triangle.png') && v.state === 'ready' && v.done === 2);
    const imagePredictions = await image.frame.locator('.prediction').allInnerTexts();
    const igImage = await readPanel(image.frame, 'integrated_gradients');
    ctx.log(`triangle.png (${image.v.source.slice(6)}): ${imagePredictions[0]?.replace(/\s+/g, ' ').trim()}; IG gap ${(100 * igImage.gap).toFixed(2)} %`);
    if (igImage.differFromInput < 50) throw new Error('the picture’s heatmap is not drawn');
    await shot('06-image-file.png');

    // From the Runs view: the run's Explain action reveals the view on that run's best checkpoint.
    await command(page, 'Layerwise: Focus on Runs View');
    const label = path.basename(runDir).replace('T', ' ').replace(/-(\d\d)-(\d\d)$/, ':$1:$2');
    const runRow = page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
    await runRow.waitFor({ state: 'visible', timeout: stepTimeout });
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Explain Predictions"]').click();
    await until(page, 'the view on the run’s best checkpoint', async () => {
      const v = await readView(page);
      const w = v ? await v.frame.locator('#weights').inputValue().catch(() => '') : '';
      return w === path.join(runDir, 'best.ckpt') ? true : undefined;
    });
    ctx.log('Runs view → Explain Predictions opened the run’s best.ckpt');
    await shot('07-from-runs-view.png');

    // A tabular model (spirals-mlp, never trained: its initial weights), from the palette: a bar
    // per feature, and a row typed by the user.
    await command(page, 'View: Close All Editors');
    await openModel(page, 'spirals-mlp.nn.yaml');
    await command(page, 'Layerwise: Explain Predictions');
    const tabular = await viewWhen(page, 'spirals-mlp explained', (v) => v.state === 'ready' && v.done === 1 && v.trained === 'false');
    const bars = await tabular.frame.locator('.panel[data-method="integrated_gradients"] .bar-row').count();
    if (bars !== 2 || !(await tabular.frame.locator('.notice[data-notice="untrained"]').isVisible())) throw new Error(`the tabular view shows ${bars} bars, or no note about untrained weights`);
    await tabular.frame.locator('#row-input').fill('0.5, -0.25');
    await tabular.frame.locator('#explain-row').click();
    const row = await viewWhen(page, 'the typed row explained', (v) => v.source === 'input:your row' && v.state === 'ready' && v.done === 1);
    const values = await row.frame.locator('.input-panel td').allInnerTexts();
    if (values.join(' ') !== '0.500 -0.250') throw new Error(`the row shown is ${JSON.stringify(values)}`);
    ctx.log(`spirals-mlp (initial weights): ${bars} feature bars; typed row explained: ${(await row.frame.locator('.prediction').first().innerText()).replace(/\s+/g, ' ')}`);
    await shot('08-tabular-bars.png');

    // A token model (tiny-transformer): one heat-strip cell per token.
    await command(page, 'View: Close All Editors');
    await openModel(page, 'tiny-transformer.nn.yaml');
    await command(page, 'Layerwise: Explain Predictions');
    const tokens = await viewWhen(page, 'tiny-transformer explained', (v) => v.state === 'ready' && v.done === 1);
    const cells = await tokens.frame.locator('.panel[data-method="integrated_gradients"] .map .token').count();
    if (cells !== 24) throw new Error(`the token strip has ${cells} cells for 24 tokens`);
    ctx.log(`tiny-transformer: ${cells} token cells`);
    await shot('09-token-strip.png');
  } catch (err) {
    await shot('explain-failure.png');
    throw err;
  } finally {
    await page.close().catch(() => undefined);
  }
}

export const explainCheck: FeatureCheck = {
  name: 'explain',
  description: 'CLI-trained shapes-cnn: Explain CodeLens, heatmap pixels, predictions and trust checks, compare methods, switch method and target, misclassified filter, image file, Runs view',
  run,
};
