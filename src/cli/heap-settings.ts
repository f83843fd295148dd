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
 *
 * Starting a worker thread undoes `--semi-space-growth-factor=1`: setting up the new isolate's
 * heap puts the growth factor back to at least 2 (measured on Node 20: a process that had
 * stopped its young generation at 2 × 4 MiB grew it to 2 × 16 MiB once a worker had started).
 * The SQLite store starts one (store/sqlite-checkpointer.ts), so whenever a worker comes online
 * the young-generation limit is set again, and the old-generation one with it, to be safe.
 * One loaded test run still measured one doubling (2 × 8 MiB), most likely from a collection
 * between the worker's start and its coming online.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export const MAX_SEMI_SPACE_MB = 4;
export const HEAP_GROWING_PERCENT = 50;

/** V8's own `--semi-space-growth-factor` (Node 20), restored whenever the young generation is below the limit. */
const DEFAULT_SEMI_SPACE_GROWTH_FACTOR = 2;

/** Whether the young generation's growth is stopped now (`--semi-space-growth-factor=1`). */
let youngGrowthStopped = false;

/**
 * Apply both limits. The young-generation one is kept by an observer of every collection for
 * the life of the process, and not only until the limit is first reached: when the server sits
 * idle, V8's memory reducer shrinks the young generation (to 2 × 1 MiB, measured after ~8 s),
 * and with the growth factor left at 1 it never grew back. GETs then ran ~25% slower for the
 * rest of the process's life, scavenging three times as often (bench/README.md, "GET after an
 * idle spell").
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  process.on('worker', (worker) => worker.once('online', reapplyLimits));
  fitYoungGrowth();
  // The new space only grows or shrinks during a collection, so each one is when to look.
  const observer = new PerformanceObserver(fitYoungGrowth);
  observer.observe({ entryTypes: ['gc'] });
}

/** The young generation's size: both semi-spaces. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** Let the young generation grow while it is below the limit, and stop it once it is there. */
function fitYoungGrowth(): void {
  const atLimit = youngGenerationBytes() >= 2 * MAX_SEMI_SPACE_MB * 1024 * 1024;
  if (atLimit === youngGrowthStopped) return;
  setFlagsFromString(`--semi-space-growth-factor=${atLimit ? 1 : DEFAULT_SEMI_SPACE_GROWTH_FACTOR}`);
  youngGrowthStopped = atLimit;
}

/** What a worker's start undid: the old-generation limit, and the young one if it was reached. */
function reapplyLimits(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (youngGrowthStopped) setFlagsFromString('--semi-space-growth-factor=1');
}

limitHeapGrowth();
