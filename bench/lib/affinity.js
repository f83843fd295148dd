/**
 * CPU pinning for measured runs: the server under test (every process doing its work) on one
 * set of cores, the load generator on a core of its own.
 *
 * Unpinned, on a 2-core machine, the kernel moves the server's main thread and the load
 * generator around the same two cores, and how often they meet depends on everything else
 * the server's process does (GC helper threads, timers). Five identical unpinned quick runs
 * measured idem's GET at 0.62x–1.13x the hand-written server's; three pinned ones at
 * 0.72x–0.82x (bench/README.md, "Pinning").
 *
 * Only a server that is one process is pinned. A peer of several processes (idem on
 * PostgreSQL, two instances behind a balancer) would be squeezed onto the cores of one process
 * with its database, so it and its load generator run unpinned, as before; so does the
 * proxy section (proxy and upstream).
 *
 * Uses util-linux `taskset` (Linux). Where it or a second core is missing, nothing is pinned
 * and the results say so. BENCH_PIN=0 turns pinning off.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Which cores the servers and the load generator get, or why nothing is pinned.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ server: string, loader: string } | { off: string }}
 */
export function cpuPlan(env = process.env) {
  if (env.BENCH_PIN === '0') return { off: 'BENCH_PIN=0' };
  const cores = allowedCores();
  if (cores.length < 2) return { off: `only ${cores.length} core available` };
  if (spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).status !== 0) return { off: 'taskset (util-linux) not found' };
  // The load generator (autocannon) is one thread: one core is enough; the server gets the rest.
  return { server: cores.slice(0, -1).join(','), loader: String(cores.at(-1)) };
}

/**
 * The cores this process may run on (a container may allow "2-3,6", not 0 to n-1), from
 * Cpus_allowed_list in /proc/self/status (proc(5)); 0 to n-1 where that cannot be read.
 * @returns {number[]}
 */
function allowedCores() {
  try {
    const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (list) {
      return list.split(',').flatMap((part) => {
        const [from, to = from] = part.split('-').map(Number);
        return Array.from({ length: to - from + 1 }, (_, i) => from + i);
      });
    }
  } catch {
    // Not Linux: fall through.
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

/**
 * The cores for one measured run of a server doing its work in `processes`, or null when it
 * runs unpinned (pinning off, or a server of several processes).
 * @param {{ server?: string, loader?: string }} plan  from cpuPlan()
 * @param {Array<{ pid: number, tree?: boolean }>} processes
 * @returns {{ server: string, loader: string } | null}
 */
export function coresFor(plan, processes) {
  if (!plan.server || !plan.loader) return null;
  if (processes.length !== 1 || processes[0]?.tree) return null;
  return { server: plan.server, loader: plan.loader };
}

/**
 * Pin every thread of process `pid` to `cpus`; a process that has gone is skipped.
 * @param {number} pid
 * @param {string} cpus  taskset list, e.g. "0" or "0,1,2"
 */
export function pinProcess(pid, cpus) {
  spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}
