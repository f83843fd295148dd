/**
 * Heap settings for idem's long-running processes, applied when the CLI starts (cli.ts imports
 * this module first, so it runs before anything else is loaded).
 *
 * V8's defaults size the heap for throughput on large machines: under a server's steady
 * allocation the young generation doubles up to two 16 MB semi-spaces, and the old generation
 * may grow to several times its live size between full collections. Measured on the bench
 * machine (bench/README.md, "Memory"): peak RSS of `idem serve` through the whole write mix
 * went from ~220 MB to ~141 MB with the two limits below, at the same req/s.
 *
 * Node reads `--max-semi-space-size` only when the process starts, and a wrapper process that
 * re-executes node with flags would outlive a SIGKILL of the server. Both limits are therefore
 * set from inside, through flags V8 reads again at each collection:
 * - `--heap-growing-percent`: the old generation may grow to 1.5× its live size before the
 *   next full collection, instead of up to 4×;
 * - `--semi-space-growth-factor=1` once a semi-space has reached MAX_SEMI_SPACE_MB: the young
 *   generation stops doubling there.
 * If a future V8 stopped reading them at run time, the only effect would be more memory.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export const MAX_SEMI_SPACE_MB = 4;
export const HEAP_GROWING_PERCENT = 50;

/** Apply both limits; the young-generation one takes effect at the first collection that reaches it. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (stopYoungGrowthIfReached()) return;
  // The new space only grows during a collection, so each one is a chance to stop it.
  const observer = new PerformanceObserver(() => {
    if (stopYoungGrowthIfReached()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** The young generation's size: both semi-spaces. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

function stopYoungGrowthIfReached(): boolean {
  if (youngGenerationBytes() < 2 * MAX_SEMI_SPACE_MB * 1024 * 1024) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}

limitHeapGrowth();
