#!/usr/bin/env node
/**
 * Make sure a headless Chromium is available for the browser tests (docs page, console
 * page, CORS from another origin). The tests drive Debian's `chromium` package through
 * playwright-core, so nothing is downloaded from a CDN at test time.
 *
 * - Chromium already there (IDEM_CHROMIUM or /usr/bin/chromium): nothing to do.
 * - Missing and running as root with apt-get: `apt-get update && apt-get install -y chromium`.
 * - Missing otherwise: print what to run and exit 1, so `npm test` stops with a clear reason
 *   instead of a confusing launch error deep inside a test.
 *
 * Usage: node scripts/ensure-browser.mjs
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const executable = process.env.IDEM_CHROMIUM ?? '/usr/bin/chromium';

if (existsSync(executable)) {
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');

if (!isRoot || !hasApt) {
  console.error(
    [
      `ensure-browser: Chromium was not found at ${executable}.`,
      'The browser tests (docs page, console page, CORS) need it.',
      hasApt
        ? 'Install it with: sudo apt-get update && sudo apt-get install -y chromium'
        : 'Install Chromium with your package manager, then set IDEM_CHROMIUM=/path/to/chromium.',
    ].join('\n'),
  );
  process.exit(1);
}

console.log(`ensure-browser: Chromium missing at ${executable}; installing the Debian package (apt-get install chromium)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
// Another process (a parallel test run, unattended upgrades) may hold the dpkg lock: wait for
// it rather than failing at once.
const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
for (const args of [['update', ...lockWait], ['install', '-y', ...lockWait, 'chromium']]) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`ensure-browser: "apt-get ${args.join(' ')}" failed with exit code ${result.status ?? result.signal}.`);
    process.exit(1);
  }
}
if (!existsSync(executable)) {
  console.error(`ensure-browser: chromium was installed but ${executable} does not exist; set IDEM_CHROMIUM to its path.`);
  process.exit(1);
}
console.log(`ensure-browser: Chromium installed at ${executable}.`);
