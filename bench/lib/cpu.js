/**
 * How busy the machine was with other work during a measured run. The bench shares 2 cores
 * with other people's processes; a run that lost half the CPU to them is not comparable with
 * one that did not, so every run records the share of CPU time used by processes other than
 * the server under test (and its PostgreSQL) and the load generator.
 *
 * Linux only: /proc/stat and /proc/<pid>/stat (proc(5)), times in clock ticks.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second (USER_HZ); 100 on every mainstream Linux build. */
const HZ = 100;

/** Whole-machine busy and total ticks from the first line of /proc/stat. */
function systemTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  return { busy, total: busy + idle + iowait };
}

/**
 * Fields of /proc/<pid>/stat after the `(comm)` part, which may itself contain spaces.
 * @param {number} pid
 */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU ticks of a process: utime + stime, plus — for a process tree like PostgreSQL's — its
 * reaped children (cutime + cstime) and its live children.
 * @param {number} pid
 * @param {boolean} tree
 */
function processTicks(pid, tree) {
  try {
    // After "(comm) ": state=0 ppid=1 … utime=11 stime=12 cutime=13 cstime=14 (proc(5) fields 14–17).
    const f = statFields(pid);
    let ticks = Number(f[11]) + Number(f[12]);
    if (!tree) return ticks;
    ticks += Number(f[13]) + Number(f[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const c = statFields(Number(entry));
        if (Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]);
      } catch {
        // The process ended while we looked.
      }
    }
    return ticks;
  } catch {
    return 0;
  }
}

/**
 * A snapshot to diff later.
 * @param {Array<{ pid: number, tree?: boolean, role?: string }>} pids  the server (and its database);
 *   entries with a `role` are also reported one by one (e.g. the instances and the balancer of idem-postgres-x2)
 */
export function cpuSnapshot(pids) {
  const each = pids.map((p) => processTicks(p.pid, p.tree === true));
  return {
    system: systemTicks(),
    ours: each.reduce((sum, t) => sum + t, 0),
    each,
    roles: pids.map((p) => p.role),
    self: process.cpuUsage(),
    at: Date.now(),
  };
}

/**
 * Shares of the machine's CPU between two snapshots, each 0..1 of all cores.
 * @param {ReturnType<typeof cpuSnapshot>} a
 * @param {ReturnType<typeof cpuSnapshot>} b
 */
export function cpuShares(a, b) {
  const total = b.system.total - a.system.total;
  if (total <= 0) return null;
  const busy = b.system.busy - a.system.busy;
  const server = b.ours - a.ours;
  const selfUs = (b.self.user - a.self.user) + (b.self.system - a.self.system);
  const loader = (selfUs / 1e6) * HZ;
  const round = (x) => Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
  const shares = { server: round(server / total), loader: round(loader / total), other: round((busy - server - loader) / total) };
  // The server share split by role, when the peer named its processes.
  if (a.roles?.some(Boolean)) {
    shares.parts = Object.fromEntries(
      a.roles.map((role, i) => [role ?? `pid ${i}`, round(((b.each?.[i] ?? 0) - (a.each?.[i] ?? 0)) / total)]),
    );
  }
  return shares;
}

/**
 * Wait until the server's processes go quiet (under 5% of one core over half a second), so
 * requests still queued inside a slow peer when its run ended (json-server at 100k resources
 * keeps working through them for many seconds) do not steal CPU from the next peer's run.
 * @param {Array<{ pid: number, tree?: boolean }>} pids
 * @param {number} maxMs
 * @returns {Promise<{ waitedMs: number, quiet: boolean }>}
 */
export async function waitIdle(pids, maxMs) {
  const started = Date.now();
  for (;;) {
    const a = pids.reduce((sum, p) => sum + processTicks(p.pid, p.tree === true), 0);
    await new Promise((r) => setTimeout(r, 500));
    const b = pids.reduce((sum, p) => sum + processTicks(p.pid, p.tree === true), 0);
    // 500 ms is 50 ticks of one core; under 2.5 ticks is under 5%.
    if (b - a < 2.5) return { waitedMs: Date.now() - started, quiet: true };
    if (Date.now() - started > maxMs) return { waitedMs: Date.now() - started, quiet: false };
  }
}

/**
 * The server's CPU time per request, in µs: its share of all cores over the measured load,
 * times the cores, over the request rate. It tells a server that is slower because it works
 * more per request from one that waits (the hand-written server's fsync per write). It is not
 * steadier than req/s on a shared virtual machine: a slowed core takes longer per request too.
 * For the PostgreSQL peers it includes PostgreSQL (and the balancer), all their processes.
 *
 * @param {any} run  one (peer, operation) result with `rps` and `cpu.server`
 * @param {number | undefined} cores
 * @returns {number | undefined}
 */
export function cpuMicrosPerRequest(run, cores) {
  if (!run || run.error || !(run.rps > 0) || typeof run.cpu?.server !== 'number' || !(cores > 0)) return undefined;
  return (run.cpu.server * cores * 1e6) / run.rps;
}
