// Debian's chromium driven by playwright-core (no browser is ever downloaded), with a fresh profile.
import * as path from 'path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(stateDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(path.join(stateDir, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
}
