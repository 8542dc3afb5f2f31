// Click-to-train as a user does it, in the real workbench: open digits-mlp, click ▶ Train in the
// CodeLens, watch the dashboard draw points while the loss falls (read from the numbers the
// webview exposes, not pixels), find the gradient numbers beside the layer lines (and their
// hover), Stop, find the run in the Runs view, reopen its charts from there, resume it from its
// checkpoint, then train a second run and overlay the first for comparison.
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator, Page } from 'playwright-core';
import { workbenchUrl } from './codeServer';
import type { FeatureCheck, FeatureCheckContext } from './featureChecks';
import { runPaletteCommand, waitForReading, waitUntil } from './workbench';

const MODEL = 'digits-mlp.nn.yaml';
const stepTimeout = 60_000;

interface DashboardNumbers {
  model: string;
  state: string;
  run: string;
  stepPoints: number;
  epochPoints: number;
  gradPoints: number;
  firstLoss: number;
  lastLoss: number;
  overlays: string;
  charts: string;
}

const until = <T>(page: Page, what: string, probe: () => Promise<T | undefined>, timeout = stepTimeout): Promise<T> => waitUntil(page, what, probe, timeout);

/** The numbers the dashboard webview exposes on #app, from whichever frame holds it. */
async function readDashboard(page: Page): Promise<{ frame: Frame; n: DashboardNumbers } | undefined> {
  for (const frame of page.frames()) {
    const d = await frame
      .evaluate(() => {
        const app = document.getElementById('app');
        return app && app.dataset.model !== undefined && document.querySelector('#latest') ? { ...app.dataset } : undefined;
      })
      .catch(() => undefined);
    if (d) {
      const num = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));
      return {
        frame,
        n: {
          model: d.model ?? '',
          state: d.state ?? '',
          run: d.run ?? '',
          stepPoints: num(d.stepPoints),
          epochPoints: num(d.epochPoints),
          gradPoints: num(d.gradPoints),
          firstLoss: num(d.firstLoss),
          lastLoss: num(d.lastLoss),
          overlays: d.overlays ?? '',
          charts: d.charts ?? '',
        },
      };
    }
  }
  return undefined;
}

function dashboardWhen(page: Page, what: string, ok: (n: DashboardNumbers) => boolean, timeout = stepTimeout): Promise<{ frame: Frame; n: DashboardNumbers }> {
  return waitForReading(page, what, () => readDashboard(page), (d) => ok(d.n), timeout, (d) => `the dashboard showed ${JSON.stringify(d?.n)}`);
}

const command = (page: Page, title: string): Promise<void> => runPaletteCommand(page, title, stepTimeout);

async function clickLens(page: Page, title: string): Promise<void> {
  const lens = page.locator('.part.editor .codelens-decoration a', { hasText: title }).first();
  await lens.waitFor({ state: 'visible', timeout: stepTimeout });
  await lens.click();
}

async function visible(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\u00a0/g, ' ');
}

/** Text of the workbench's CSS rules that inject decoration text (Monaco renders `after` text via CSS). */
async function injectedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const sheet of Array.from(document.styleSheets)) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      for (const r of Array.from(rules)) if (r.cssText.includes('∇')) out.push(r.cssText);
    }
    return out;
  });
}

async function run(ctx: FeatureCheckContext): Promise<void> {
  // A longer run than the example's 30 epochs (and no early stop), so there is time to watch it and stop it.
  const file = path.join(ctx.workspace, MODEL);
  const text = fs.readFileSync(file, 'utf8');
  const longer = text.replace(/epochs: \d+/, 'epochs: 400').replace(/patience: \d+/, 'patience: 400');
  if (longer === text) throw new Error(`${MODEL} has no epochs/patience to lengthen`);
  fs.writeFileSync(file, longer);

  const page = await ctx.browser.newPage();
  await page.setViewportSize({ width: 1600, height: 1000 });
  const shot = (name: string) => page.screenshot({ path: path.join(ctx.artifacts, name) }).catch(() => undefined);
  try {
    await page.goto(workbenchUrl(ctx.server, ctx.workspace, ctx.extensionPath), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view').getByText(MODEL).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(MODEL);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: MODEL }).first().click();
    await page.locator('.part.editor .monaco-editor .view-lines').first().getByText('layers:').waitFor({ timeout: stepTimeout });

    // ▶ Train in the CodeLens.
    await clickLens(page, '▶ Train');
    ctx.log('clicked ▶ Train');
    const early = await dashboardWhen(page, 'the dashboard to draw step points', (n) => n.model === 'digits-mlp' && n.stepPoints >= 5);
    const later = await dashboardWhen(page, 'three epochs and a falling loss', (n) => n.epochPoints >= 3 && n.stepPoints > early.n.stepPoints && n.gradPoints > 0);
    ctx.log(`dashboard: ${later.n.stepPoints} step points, loss ${later.n.firstLoss.toFixed(4)} → ${later.n.lastLoss.toFixed(4)}, ${later.n.gradPoints} gradient snapshots; charts ${later.n.charts}`);
    if (!(later.n.lastLoss < later.n.firstLoss)) throw new Error(`the loss did not fall: ${later.n.firstLoss} → ${later.n.lastLoss}`);
    for (const chart of ['step-loss', 'epoch-loss', 'epoch-accuracy', 'lr', 'throughput', 'grad-flow']) {
      if (!later.n.charts.split(',').includes(chart)) throw new Error(`the dashboard has no ${chart} chart (it has ${later.n.charts})`);
    }
    const status = await visible(page.locator('.part.statusbar'));
    if (!/digits-mlp: .*epoch \d+\/400 · step \d+ · loss \d\.\d{4}/.test(status)) throw new Error(`the status bar shows no epoch/step/loss: ${status}`);
    await shot('01-training-dashboard.png');

    // Gradient numbers beside the layer lines, and their hover.
    const rules = await until(page, 'gradient decorations on the layer lines', async () => {
      const r = await injectedTexts(page);
      return r.length >= 3 ? r : undefined;
    });
    ctx.log(`decorations: ${rules.length} layer lines, e.g. ${/content: "([^"]*)"/.exec(rules[0])?.[1]}`);

    // Pause: the points stop coming; the gradient hover is read while paused; then Resume.
    await command(page, 'Layerwise: Pause Training');
    const paused = await dashboardWhen(page, 'the run to pause', (n) => n.state === 'paused');
    await page.waitForTimeout(1500);
    const still = (await readDashboard(page))!.n;
    if (still.stepPoints !== paused.n.stepPoints) throw new Error(`points kept coming while paused: ${paused.n.stepPoints} → ${still.stepPoints}`);
    const editorLine = page.locator('.part.editor .view-line', { hasText: 'id: hidden1' }).first();
    // The line is re-rendered as its decoration updates, so point at where it is rather than at the element.
    const box = await until(page, 'the hidden1 line', async () => (await editorLine.getByText('hidden1').first().boundingBox()) ?? undefined);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'gradients at step' }).first();
    await hover.waitFor({ state: 'visible', timeout: stepTimeout });
    const hoverText = await visible(hover);
    if (!/hidden1/.test(hoverText) || !/weights:/.test(hoverText)) throw new Error(`the gradient hover lacks the layer or its histograms: ${hoverText}`);
    await shot('02-gradient-decorations-and-hover.png');
    await page.keyboard.press('Escape');
    await command(page, 'Layerwise: Resume Training');
    await dashboardWhen(page, 'the run to resume', (n) => n.state === 'running' && n.stepPoints > still.stepPoints);
    ctx.log(`paused at ${still.stepPoints} step points, resumed`);

    // Stop.
    await command(page, 'Layerwise: Stop Training');
    const stopped = await dashboardWhen(page, 'the run to stop', (n) => n.state === 'idle');
    ctx.log(`stopped after ${stopped.n.epochPoints} epochs (run ${stopped.n.run})`);
    await shot('03-stopped.png');

    // The Runs view lists it; its charts reopen from there.
    await command(page, 'View: Close All Editors');
    await command(page, 'Layerwise: Focus on Runs View');
    const runRow = page.locator('.pane-body .monaco-list-row', { hasText: stopped.n.run.split('/')[1].replace('T', ' ').replace(/-(\d\d)-(\d\d)$/, ':$1:$2') }).first();
    await runRow.waitFor({ state: 'visible', timeout: stepTimeout });
    const rowText = await visible(runRow);
    if (!/epoch \d+\/400 · loss \d\.\d{4}/.test(rowText)) throw new Error(`the run row has no final numbers: ${rowText}`);
    await runRow.click();
    // A past run keeps its gradient flow too (grads.jsonl).
    const reopened = await dashboardWhen(page, 'the run’s charts, gradient flow included, to reopen', (n) => n.run === stopped.n.run && n.epochPoints === stopped.n.epochPoints && n.stepPoints > 0 && n.gradPoints > 0 && n.charts.split(',').includes('grad-flow'));
    ctx.log(`reopened ${reopened.n.run}: ${reopened.n.epochPoints} epochs, ${reopened.n.stepPoints} step points, ${reopened.n.gradPoints} gradient snapshots`);
    const flowTitle = await reopened.frame.locator('.u-title', { hasText: 'Gradient flow: mean |gradient| per layer' }).count();
    if (flowTitle !== 1) throw new Error('the reopened dashboard has no “Gradient flow: mean |gradient| per layer” chart title');
    await shot('04-runs-view-and-reopened-charts.png');
    await reopened.frame.locator('.u-title', { hasText: 'Gradient flow: mean |gradient| per layer' }).scrollIntoViewIfNeeded();
    await shot('04b-reopened-gradient-flow.png');

    // Resume it from its checkpoint: the same run folder goes on from the next epoch.
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Resume Run from Checkpoint"]').click();
    const resumed = await dashboardWhen(page, 'the resumed run to add epochs', (n) => n.state !== 'idle' && n.epochPoints > stopped.n.epochPoints + 1);
    ctx.log(`resumed: now ${resumed.n.epochPoints} epochs in ${resumed.n.run}`);
    await command(page, 'Layerwise: Stop Training');
    await dashboardWhen(page, 'the resumed run to stop', (n) => n.state === 'idle');
    await shot('05-resumed.png');

    // A second run, from the dashboard's own Train button, then the first overlaid on it.
    const panel = await dashboardWhen(page, 'the dashboard after the resumed run', (n) => n.state === 'idle');
    await panel.frame.locator('#btn-train').click();
    const second = await dashboardWhen(page, 'a second run', (n) => n.run !== stopped.n.run && n.run.startsWith('digits-mlp/') && n.epochPoints >= 2);
    await command(page, 'Layerwise: Stop Training');
    await dashboardWhen(page, 'the second run to stop', (n) => n.state === 'idle');
    const overlay = second.frame.locator(`#runs li[data-run="${stopped.n.run}"] input.overlay`);
    await overlay.check();
    const compared = await dashboardWhen(page, 'the first run overlaid', (n) => n.overlays.split(',').includes(stopped.n.run));
    ctx.log(`compared ${compared.n.run} with ${compared.n.overlays}`);
    await shot('06-two-runs-compared.png');
  } catch (err) {
    await shot('train-failure.png');
    throw err;
  } finally {
    await page.close().catch(() => undefined);
  }
}

export const trainCheck: FeatureCheck = {
  name: 'train',
  description: 'CodeLens ▶ Train, live dashboard with falling loss, gradient decorations and hover, Stop, Runs view, reopen, resume, compare',
  run,
};
