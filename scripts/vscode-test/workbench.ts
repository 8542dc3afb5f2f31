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
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
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
