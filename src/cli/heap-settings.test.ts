import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built module, as `idem` loads it first (dist/ is built by `npm test`). */
const HEAP_SETTINGS = fileURLToPath(new URL('../../dist/cli/heap-settings.js', import.meta.url));

/**
 * The start of a child script: the settings (or not), `young()` — the young generation's size,
 * both semi-spaces, in MiB — and what a burst keeps alive.
 */
function prelude(withSettings: boolean): string {
  return `
    ${withSettings ? `await import(${JSON.stringify(HEAP_SETTINGS)});` : ''}
    const v8 = await import('node:v8');
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    let kept = [];`;
}

/** One burst of a busy server's allocation: short-lived objects, a share surviving a while, then a yield to the event loop. */
const BURST = `
    for (let i = 0; i < 5000; i++) { kept.push({ i, s: 'x' + i }); if (kept.length > 50000) kept = []; }
    await new Promise((resolve) => setImmediate(resolve));`;

/** Run a child script in a fresh Node process; its stdout. */
function runChild(script: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 80_000 });
}

/** A fresh Node process that allocates like a busy server for 600 bursts; the young generation's size then, MiB. */
function youngGenerationAfterLoad(withSettings: boolean, startWorkerAtBurst?: number): number {
  return Number(
    runChild(`${prelude(withSettings)}
    const { Worker } = await import('node:worker_threads');
    for (let burst = 0; burst < 600; burst++) {
      if (burst === ${startWorkerAtBurst ?? -1}) {
        const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
        // As idem serve does: its store starts its thread before any request arrives.
        await new Promise((resolve) => worker.once('online', resolve));
        worker.unref();
      }${BURST}
    }
    process.stdout.write(String(young()));`),
  );
}

/**
 * A fresh Node process with the settings that loads like a busy server, sits idle until V8's
 * memory reducer shrinks the young generation, then loads again. The young generation's size,
 * MiB, at each of those three points. The shrink comes ~8 s into the idle spell on a quiet
 * machine, 14.6 s beside two busy loops, and once not within 30 s in a test run beside another
 * (measured on Node 20): so it waits up to 50 s, and stops waiting as soon as it shrinks.
 */
function youngGenerationAcrossAnIdleSpell(): { loaded: number; idle: number; loadedAgain: number } {
  return JSON.parse(
    runChild(`${prelude(true)}
    const load = async () => {
      for (let burst = 0; burst < 600; burst++) {${BURST}
      }
    };
    await load();
    const loaded = young();
    kept = [];
    const idleSince = Date.now();
    while (young() >= loaded && Date.now() - idleSince < 50000) await new Promise((resolve) => setTimeout(resolve, 250));
    const idle = young();
    await load();
    process.stdout.write(JSON.stringify({ loaded, idle, loadedAgain: young() }));`),
  ) as never;
}

describe('heap settings of the idem CLI', () => {
  it('stop the young generation at two 4 MiB semi-spaces, where V8 alone grows it to 2 × 16 MiB', () => {
    expect(youngGenerationAfterLoad(false)).toBeGreaterThan(16);
    expect(youngGenerationAfterLoad(true)).toBeLessThanOrEqual(8);
  });

  it('keep that limit after a worker thread starts, whose new V8 isolate resets the flag', () => {
    // Burst 300: well after the limit was reached. Without setting it again the young
    // generation grows to 2 × 16 MiB from there (measured: 32). Once, in a loaded full test
    // run, it measured 16: one doubling, most likely by a collection between the worker
    // isolate's start and its coming online, when the flag is set again. 32 stays excluded.
    expect(youngGenerationAfterLoad(true, 300)).toBeLessThanOrEqual(16);
  });

  it('let the young generation grow back to its limit after V8 shrinks it in an idle spell', (ctx) => {
    // Measured without this (growth stopped for good once the limit was first reached):
    // 8 → 1 → 2 MiB, and a server's GETs ran ~25% slower after any quiet spell of ~10 s.
    const sizes = youngGenerationAcrossAnIdleSpell();
    expect(sizes.loaded).toBe(2 * 4);
    // Node 20 and 22 (V8 11 and 12) shrink it after ~8 s idle. Node 24's V8 13 kept it at
    // 8 MiB through 60 s (measured), so there it has nothing to grow back from and this proves
    // nothing: skipped, and counted as skipped, rather than passed. Elsewhere no shrink fails.
    const v8Major = Number(process.versions.v8.split('.')[0]);
    ctx.skip(v8Major >= 13 && sizes.idle >= sizes.loaded, `V8 ${process.versions.v8} did not shrink the young generation in 50 s idle`);
    expect(sizes.idle).toBeLessThan(sizes.loaded); // V8 did shrink it, or this test proves nothing
    expect(sizes.loadedAgain).toBe(2 * 4);
  }, 90_000);
});
