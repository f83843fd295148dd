import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by scripts/ensure-browser.mjs, which `npm test` runs first). */
export const CHROMIUM_PATH = process.env['IDEM_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Launch headless Chromium for the page tests. The flags keep it from reaching for the network
 * (this machine has none) and let it run as root.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run "node scripts/ensure-browser.mjs" (or set IDEM_CHROMIUM).`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
