/**
 * `npm run bench`: idem side by side with its peers, in one run, on this machine.
 *
 * For each scale (stored resources), every available peer is started and seeded, then each
 * operation is measured peer after peer (op-major, so slow drift in background load hits all
 * peers alike; only one peer is ever under load), in rounds that alternate the peer order
 * (lib/rounds.js); operations compared with each other share their rounds, one peer's back to
 * back (PAIRED_OPS).
 * Then PUT runs against the smallest and the largest scale in alternating rounds (lib/growth.js),
 * a correctness check runs concurrent writes against a fresh instance of each peer and
 * audits its store, and the proxy section
 * measures `idem proxy` in front of json-server. Results: bench/results.md, bench/results.png,
 * bench/results/latest.json, and the results section of bench/README.md.
 *
 * Settings: see bench/lib/config.js (BENCH_QUICK=1 for a 1-minute development run).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, OP_LABELS, RUN_ORDER } from './lib/config.js';
import { machineInfo } from './lib/machine.js';
import { runJsonChild } from './lib/process.js';
import { coresFor, pinProcess } from './lib/affinity.js';
import { waitIdle } from './lib/cpu.js';
import { combineRounds } from './lib/rounds.js';
import { startPostgres } from './lib/postgres.js';
import { PEERS } from './peers/index.js';
import { runCorrectnessCheck } from './lib/correctness.js';
import { GROWTH_PEERS, runGrowth } from './lib/growth.js';
import { runProxyOverhead } from './proxy-overhead.js';
import { writeOutputs } from './lib/outputs.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cfg = loadConfig();
const workDir = mkdtempSync(join(tmpdir(), 'idem-bench-'));
/** Everything started, so Ctrl-C and errors still stop it all. */
const cleanups = new Set();

const log = (line) => process.stdout.write(`${line}\n`);
const fmt = (n, d = 0) => (typeof n === 'number' ? n.toFixed(d) : '—');

/**
 * Measure one (peer, operation) in a separate load process.
 * @param {import('./peers/types.js').PeerInstance} inst
 * @param {string} op
 * @param {string} label
 * @param {number} warmup  seconds of discarded load first
 */
async function measure(inst, op, label, warmup) {
  const spec = {
    url: inst.url,
    op,
    connections: cfg.connections,
    duration: cfg.duration / cfg.rounds,
    warmup,
    idsFile: inst.idsFile,
    patchType: inst.patchType,
    cpuPids: inst.cpuPids ?? [{ pid: inst.server.pid }],
  };
  // Pinned again before every run: cheap, and it holds whatever the process started since.
  const cores = coresFor(cfg.pin, spec.cpuPids);
  if (cores) pinProcess(spec.cpuPids[0].pid, cores.server);
  let result;
  try {
    result = await runJsonChild(join(root, 'bench/lib/load-worker.js'), spec, {
      cwd: root,
      cpus: cores?.loader,
      timeoutMs: (cfg.duration / cfg.rounds + warmup) * 1000 + 180_000,
    });
  } catch (err) {
    result = { op, error: String(err?.message ?? err).slice(0, 500) };
  }
  result.pinned = cores !== null;
  // Let the peer finish what is queued inside it before anyone else is measured.
  const settle = await waitIdle(spec.cpuPids, 90_000);
  if (settle.waitedMs > 1500) {
    result.settleMs = settle.waitedMs;
    log(`    (${label} ${settle.quiet ? 'went quiet' : 'was still busy'} after ${(settle.waitedMs / 1000).toFixed(1)} s of queued work)`);
  }
  return result;
}

/**
 * Start every available peer for one scale, run every operation op-major, stop them all.
 * @param {number} scale
 * @param {object[]} peers
 * @param {Record<string, unknown>} shared
 */
async function runScale(scale, peers, shared) {
  const out = { runs: {}, rss: {}, rssDetail: {}, notes: {}, errors: {} };
  const live = [];
  for (const peer of peers) {
    const dir = join(workDir, `${peer.name}-${scale}`);
    mkdirSync(dir, { recursive: true });
    log(`  starting ${peer.label} with ${scale} resources …`);
    try {
      const inst = await peer.start({ root, dir, scale, shared });
      cleanups.add(inst.stop);
      live.push({ peer, inst });
      out.runs[peer.name] = {};
      if (inst.seedNote) out.notes[peer.name] = inst.seedNote;
    } catch (err) {
      out.errors[peer.name] = String(err?.message ?? err).slice(0, 800);
      log(`  ! ${peer.label} did not start: ${out.errors[peer.name]}`);
    }
  }
  // Seeding leaves work behind (PostgreSQL autovacuum, checkpoints): start measuring from quiet.
  for (const { inst } of live) await waitIdle(inst.cpuPids ?? [{ pid: inst.server.pid }], 60_000);
  const inRunOrder = [...live].sort((a, b) => RUN_ORDER.indexOf(a.peer.name) - RUN_ORDER.indexOf(b.peer.name));
  for (const group of opGroups(cfg.ops)) {
    const measuredFor = (op) => live.filter(({ peer }) => peer.ops.includes(op));
    const rounds = new Map(group.map((op) => [op, new Map(measuredFor(op).map(({ peer }) => [peer.name, []]))]));
    for (let round = 0; round < cfg.rounds; round++) {
      // Every other round in reverse peer and operation order (lib/rounds.js says why). Within
      // a round, a peer's operations of one group run back to back (PAIRED_OPS says why).
      const ops = round % 2 === 0 ? group : [...group].reverse();
      for (const { peer, inst } of round % 2 === 0 ? inRunOrder : [...inRunOrder].reverse()) {
        for (const op of ops) {
          if (peer.ops.includes(op)) rounds.get(op).get(peer.name).push(await measure(inst, op, peer.label, round === 0 ? cfg.warmup : cfg.rewarm));
        }
      }
    }
    for (const op of group) reportOp(scale, op, measuredFor(op), rounds.get(op), out);
  }
  for (const { peer, inst } of live) {
    out.rss[peer.name] = inst.server.samplePeakRss();
    // A peer of several processes (idem-postgres-x2) also records each one's VmHWM.
    if (inst.server.peakRssDetail) out.rssDetail[peer.name] = inst.server.peakRssDetail;
    await inst.stop();
    cleanups.delete(inst.stop);
  }
  return out;
}

/**
 * Operations whose ratio to each other is a target (replay vs GET, keyed vs plain POST) are
 * measured in the same rounds, alternating, so drift in background load — and, for the POSTs,
 * a database that grows with every write — falls on both instead of on whichever ran later.
 * Within a round one peer runs them back to back: seconds apart, not minutes. When each
 * operation still ran across all peers in turn, idem's GET and replay were separated by the
 * other idem peers' runs, and on this machine the pace changes within a minute (2026-11-28,
 * 05:39 run: GET 18.2k then replay 11.7k req/s in round 1, replay 16.0k then GET 13.1k in
 * round 2; the bare node:http server's two GET rounds, 18.7k and 28.3k).
 *
 * The keyed POST with random UUIDv4 keys (post-idem-v4) runs on its own, after the pair: inside
 * the group, the reversed round put it just before the UUIDv7 keyed POST, which then measured
 * 0.56x of the plain POST in that round against 0.83x in the other (2026-11-28, a run started at
 * 07:51 and stopped after its 1k half).
 */
const PAIRED_OPS = [
  ['get', 'replay'],
  ['post', 'post-idem'],
];

/**
 * The operations in run order, paired ones grouped.
 * @param {string[]} ops
 * @returns {string[][]}
 */
function opGroups(ops) {
  const groups = [];
  const grouped = new Set();
  for (const op of ops) {
    if (grouped.has(op)) continue;
    const pair = PAIRED_OPS.find((p) => p.includes(op));
    const group = pair ? pair.filter((o) => ops.includes(o)) : [op];
    for (const o of group) grouped.add(o);
    groups.push(group);
  }
  return groups;
}

/** Combine one operation's rounds per peer, keep them in `out` and log them. */
function reportOp(scale, op, measured, rounds, out) {
  for (const { peer } of measured) {
    const r = combineRounds(rounds.get(peer.name));
    out.runs[peer.name][op] = r;
    const perRound = r.rounds ? `  (rounds ${r.rounds.map((x) => (x.error ? 'error' : fmt(x.rps))).join(' / ')})` : '';
    log(
      r.error
        ? `  ${scale} ${OP_LABELS[op].padEnd(24)} ${peer.label.padEnd(30)} ERROR ${r.error}`
        : `  ${scale} ${OP_LABELS[op].padEnd(24)} ${peer.label.padEnd(30)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms${r.non2xx ? `  non-2xx ${r.non2xx} ${JSON.stringify(r.statusCodes)}` : ''}${r.errors ? `  errors ${r.errors}` : ''}${r.note ? `  (${r.note})` : ''}  other CPU ${r.cpu ? Math.round(r.cpu.other * 100) : '?'}%${perRound}`,
    );
  }
}

async function main() {
  const started = new Date();
  const results = { startedAt: started.toISOString(), machine: machineInfo(), config: cfg, peers: {}, scales: {}, checks: {}, proxy: null };
  log(`idem bench — ${results.machine.summary}`);
  log(`duration ${cfg.duration}s in ${cfg.rounds} round(s) (+${cfg.warmup}s warm-up, ${cfg.rewarm}s before each later round), ${cfg.connections} connections, scales ${cfg.scales.join(', ')}, ops ${cfg.ops.join(', ')}${cfg.quick ? ' [QUICK]' : ''}`);
  log(cfg.pin.server ? `one-process servers pinned to core(s) ${cfg.pin.server}, their load generator to core ${cfg.pin.loader}` : `nothing pinned: ${cfg.pin.off}`);

  /** @type {Record<string, unknown>} */
  const shared = {};
  if (cfg.peers.includes('idem-postgres') || cfg.peers.includes('idem-postgres-x2')) {
    try {
      shared.postgres = await startPostgres();
      cleanups.add(shared.postgres.stop);
    } catch (err) {
      shared.postgresError = String(err?.message ?? err).slice(0, 500);
    }
  }

  const peers = [];
  for (const peer of PEERS.filter((p) => cfg.peers.includes(p.name))) {
    const why = await peer.unavailable({ root, shared });
    results.peers[peer.name] = { label: peer.label, description: peer.description, version: peer.version, ops: peer.ops, unavailable: why };
    if (why) log(`skipping ${peer.label}: ${why}`);
    else peers.push(peer);
  }

  // Rough plan: every (scale, peer, op) run plus the check and proxy sections, ~1.5 s overhead each.
  const perRun = cfg.duration + cfg.rounds * (cfg.warmup + 1.5);
  const runs = cfg.scales.length * peers.reduce((n, p) => n + p.ops.filter((op) => cfg.ops.includes(op)).length, 0);
  const growthRuns = cfg.growth && cfg.scales.length >= 2 && cfg.ops.includes('put') ? 2 * peers.filter((p) => GROWTH_PEERS.includes(p.name)).length : 0;
  const estimate = (runs + growthRuns) * perRun + (cfg.checkDuration > 0 ? peers.length * (cfg.checkDuration + 5) : 0) + (cfg.proxy ? 6 * perRun : 0) + 60;
  log(`${runs + growthRuns} measured runs; estimated ${Math.ceil(estimate / 60)} min`);

  for (const scale of cfg.scales) {
    log(`\n== ${scale} resources ==`);
    results.scales[scale] = await runScale(scale, peers, shared);
  }

  if (cfg.growth && cfg.scales.length >= 2 && cfg.ops.includes('put')) {
    log(`\n== write cost growth: PUT at ${cfg.scales[0]} and ${cfg.scales[cfg.scales.length - 1]} resources, alternating rounds ==`);
    results.growth = await runGrowth({ peers, scales: cfg.scales, cfg, root, workDir, shared, cleanups, log, measure });
  }

  if (cfg.checkDuration > 0) {
    log(`\n== correctness under load: ${cfg.checkDuration}s of concurrent POST/PUT/PATCH per peer ==`);
    results.checks = await runCorrectnessCheck({ root, workDir, cfg, shared, log, peers: peers.filter((p) => p.name !== 'ceiling'), cleanups });
  }

  if (cfg.proxy) {
    log('\n== proxy overhead (issue 10) ==');
    results.proxy = await runProxyOverhead({ root, workDir, cfg, log, cleanups });
  }

  results.finishedAt = new Date().toISOString();
  const written = await writeOutputs(root, results, cfg, log);
  log(`\nwrote ${written.join(', ')}`);
  log(`total ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min`);
}

/** Stop everything still running (servers, PostgreSQL), newest first. */
async function cleanupAll() {
  for (const stop of [...cleanups].reverse()) {
    await Promise.resolve(stop()).catch(() => {});
  }
  cleanups.clear();
  // Keep server logs of a failed run for diagnosis.
  if (process.exitCode) log(`work files kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  log('\ninterrupted: stopping servers …');
  cleanupAll().finally(() => process.exit(130));
});

main()
  .catch((err) => {
    process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(cleanupAll);
