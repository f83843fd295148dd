/**
 * Compare two builds of idem on one operation, in alternating pairs: the way to tell whether a
 * change made a request cheaper on a machine whose pace moves by half within a minute
 * (bench/README.md, "Rounds, order and pooled latency"). Only the two runs of one pair are
 * compared with each other; the order inside a pair alternates.
 *
 * usage: node bench/compare-builds.js OP SCALE PAIRS ROOT_A ROOT_B
 *   OP      get | replay | put | cond-put | patch | post | post-idem | post-idem-v4 (lib/ops.js)
 *   SCALE   stored customers, seeded once through ROOT_A's engine and copied for every run
 *   PAIRS   how many pairs of runs
 *   ROOT_A, ROOT_B  checkouts with a built dist/ (e.g. a `git worktree` of the commit before)
 * env: BENCH_DURATION seconds measured per run (default 6), after 2 s of warm-up;
 *      BENCH_PIN=0 to run unpinned (pinned like the bench: server on all cores but the last);
 *      DB_QUERY_A, DB_QUERY_B  options appended to each build's sqlite URL, to compare settings
 *      of one build, e.g. DB_QUERY_B='?read_cache_mb=32' with ROOT_A = ROOT_B = .
 *
 * Prints each run (req/s, p99, server CPU µs per request) and, per pair, B ÷ A; then the medians.
 * A profiling aid, not a benchmark result: `npm run bench` measures idem against its peers.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coresFor, cpuPlan, pinProcess } from './lib/affinity.js';
import { cpuMicrosPerRequest } from './lib/cpu.js';
import { idemCommand } from './lib/idem-command.js';
import { freePort, runJsonChild, startNode } from './lib/process.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const [op, scaleArg, pairsArg, rootA, rootB] = process.argv.slice(2);
if (!op || !scaleArg || !pairsArg || !rootA || !rootB) {
  console.error('usage: node bench/compare-builds.js OP SCALE PAIRS ROOT_A ROOT_B');
  process.exit(2);
}
const scale = Number(scaleArg);
const pairs = Number(pairsArg);
const roots = [resolve(rootA), resolve(rootB)];
const dbQueries = [process.env.DB_QUERY_A ?? '', process.env.DB_QUERY_B ?? ''];
const duration = Number(process.env.BENCH_DURATION ?? 6);
const plan = cpuPlan();
const work = mkdtempSync(join(tmpdir(), 'idem-compare-'));

/** One run of one build on a fresh copy of the seeded database. */
async function measure(root, dbQuery, run) {
  const db = join(work, `run-${run}.db`);
  copyFileSync(join(work, 'seed.db'), db);
  const port = await freePort();
  const server = await startNode({
    args: [...idemCommand(root), 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', `sqlite:${db}${dbQuery}`, '--log-level', 'warn'],
    cwd: root,
    logFile: join(work, `run-${run}.log`),
    readyUrl: `http://127.0.0.1:${port}/healthz`,
  });
  try {
    const pids = [{ pid: server.pid }];
    const cores = coresFor(plan, pids); // null when pinning is off
    if (cores) pinProcess(server.pid, cores.server);
    const spec = { url: `http://127.0.0.1:${port}`, op, connections: 50, duration, warmup: 2, idsFile: join(work, 'ids.json'), patchType: 'application/merge-patch+json', cpuPids: pids };
    const result = await runJsonChild(join(here, 'lib/load-worker.js'), spec, { cwd: here, timeoutMs: (duration + 60) * 1000, ...(cores && { cpus: cores.loader }) });
    return { rps: Math.round(result.rps), p99: result.p99, non2xx: result.non2xx, cpuUs: cpuMicrosPerRequest(result, availableParallelism()) };
  } finally {
    await server.stop();
    rmSync(db, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(db + suffix, { force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (r) => `${String(r.rps).padStart(6)} req/s  p99 ${String(r.p99).padStart(3)} ms  CPU ${r.cpuUs === undefined ? 'n/a' : r.cpuUs.toFixed(1).padStart(5)} µs/req${r.non2xx ? `  non-2xx ${r.non2xx}` : ''}`;

try {
  const seed = await runJsonChild(join(here, 'lib/seed-idem-worker.js'), { root: roots[0], db: `sqlite:${join(work, 'seed.db')}`, count: scale, concurrency: 32, idsFile: join(work, 'ids.json') }, { cwd: here, timeoutMs: 600_000 });
  if (seed.error) throw new Error(seed.error);
  console.log(`${op} at ${scale} documents, ${pairs} pairs of ${duration} s runs; ${'off' in plan ? `unpinned (${plan.off})` : `server on cores ${plan.server}, load on ${plan.loader}`}`);
  console.log(`A = ${roots[0]}${dbQueries[0]}\nB = ${roots[1]}${dbQueries[1]}`);
  const runs = [[], []];
  let run = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? [0, 1] : [1, 0];
    const results = [];
    for (const which of order) {
      results[which] = await measure(roots[which], dbQueries[which], run++);
      runs[which].push(results[which]);
      console.log(`pair ${pair + 1} ${which === 0 ? 'A' : 'B'}  ${fmt(results[which])}`);
    }
    console.log(`pair ${pair + 1} B/A  req/s ${(results[1].rps / results[0].rps).toFixed(2)}x`);
  }
  for (const [which, name] of [[0, 'A'], [1, 'B']]) {
    const cpu = runs[which].map((r) => r.cpuUs).filter((x) => x !== undefined);
    console.log(`median ${name}  ${median(runs[which].map((r) => r.rps))} req/s  p99 ${median(runs[which].map((r) => r.p99))} ms  CPU ${cpu.length ? median(cpu).toFixed(1) : 'n/a'} µs/req`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
