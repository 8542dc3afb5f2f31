// Small moves through the workbench that every feature check makes: waiting for something a
// probe can see, and running a command from the command palette.
import type { Page } from 'playwright-core';

/** Polls `probe` until it returns a value; its errors only count as "not yet". */
export async function waitUntil<T>(page: Page, what: string, probe: () => Promise<T | undefined>, timeout: number): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Runs a command by its palette title (`Layerwise: Train Model`). */
export async function runPaletteCommand(page: Page, title: string, timeout: number): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeout;
  // A focused webview can keep F1 from the workbench, or take focus while it loads and close the
  // palette between opening and typing (both seen after Explain), and a palette opened right after
  // a file can lack commands whose `when` needs the file's language: then focus the workbench by a
  // click on an empty middle part of the status bar and open the palette again.
  for (let attempt = 1; ; attempt++) {
    const left = () => Math.max(1_000, deadline - Date.now());
    try {
      if (attempt > 1) {
        const bar = await page.locator('.part.statusbar').boundingBox();
        if (bar) await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
      }
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: Math.min(attempt === 1 ? 5_000 : 15_000, left()) });
      await input.fill(`>${title}`, { timeout: Math.min(5_000, left()) });
      await row.waitFor({ state: 'visible', timeout: Math.min(10_000, left()) });
      await row.click({ timeout: Math.min(5_000, left()) });
      return;
    } catch (e) {
      if (Date.now() >= deadline || attempt >= 4) throw e;
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Waits until a webview's published reading satisfies `ok`; on timeout the error also says what the
 * view last showed (`shown` turns the last reading into words).
 */
export async function waitForReading<R>(
  page: Page,
  what: string,
  read: () => Promise<R | undefined>,
  ok: (reading: R) => boolean,
  timeout: number,
  shown: (reading: R | undefined) => string,
): Promise<R> {
  let last: R | undefined;
  try {
    return await waitUntil(page, what, async () => {
      last = await read();
      return last !== undefined && ok(last) ? last : undefined;
    }, timeout);
  } catch (e) {
    throw new Error(`${(e as Error).message}; ${shown(last)}`);
  }
}
