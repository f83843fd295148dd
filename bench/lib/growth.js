/**
 * Write cost growth, measured in alternating rounds: PUT against one instance seeded with the
 * smallest scale and one seeded with the largest, both running, the order reversed every other
 * round, so the ratio of the two is taken seconds apart.
 *
 * Why not the ratio of the two scales' own PUT runs: those run in the two halves of the bench,
 * ~15 minutes apart, and on this machine the pace moves by half within a minute. In the run of
 * 2026-12-06 04:52 idem's PUT at 1k measured rounds of 5.3k, 5.0k, 6.0k and 9.6k req/s, and its
 * ratio 100k ÷ 1k came out 1.24x; alternating 8 s runs of the same build minutes later gave
 * 0.96x, 0.97x and 0.73x (bench/README.md, "Write cost growth in alternating rounds").
 *
 * Only peers that are one process on a file of their own (idem on SQLite and the hand-written
 * server, as the reference) are measured this way: two instances of a PostgreSQL peer would
 * share one PostgreSQL, the very thing whose growth is measured. Those keep the cross-scale
 * ratio (targets.js).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitIdle } from './cpu.js';
import { combineRounds } from './rounds.js';

/** Peers measured in alternating rounds: one process each, on its own file. */
export const GROWTH_PEERS = ['handwritten', 'idem-sqlite'];

/**
 * @param {{
 *   peers: object[],
 *   scales: number[],
 *   cfg: { rounds: number, warmup: number, rewarm: number },
 *   root: string,
 *   workDir: string,
 *   shared: Record<string, unknown>,
 *   cleanups: Set<() => Promise<void>>,
 *   log: (line: string) => void,
 *   measure: (inst: object, op: string, label: string, warmup: number) => Promise<object>,
 * }} o
 * @returns {Promise<Record<string, { low: number, high: number, lowRun: object, highRun: object }>>}
 */
export async function runGrowth(o) {
  const low = o.scales[0];
  const high = o.scales[o.scales.length - 1];
  const out = {};
  for (const peer of o.peers.filter((p) => GROWTH_PEERS.includes(p.name) && p.ops.includes('put'))) {
    const sides = [];
    try {
      for (const scale of [low, high]) {
        const dir = join(o.workDir, `${peer.name}-growth-${scale}`);
        mkdirSync(dir, { recursive: true });
        o.log(`  starting ${peer.label} with ${scale} resources …`);
        const inst = await peer.start({ root: o.root, dir, scale, shared: o.shared });
        o.cleanups.add(inst.stop);
        sides.push({ scale, inst, rounds: [] });
      }
      for (const { inst } of sides) await waitIdle(inst.cpuPids ?? [{ pid: inst.server.pid }], 60_000);
      for (let round = 0; round < o.cfg.rounds; round++) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          side.rounds.push(await o.measure(side.inst, 'put', `${peer.label} at ${side.scale}`, round === 0 ? o.cfg.warmup : o.cfg.rewarm));
        }
      }
      const [lowRun, highRun] = sides.map((s) => combineRounds(s.rounds));
      out[peer.name] = { low, high, lowRun, highRun };
      const perRound = (r) => r.rounds?.map((x) => (x.error ? 'error' : Math.round(x.rps))).join(' / ') ?? '';
      o.log(`  ${peer.label.padEnd(30)} PUT at ${low}: ${Math.round(lowRun.rps ?? 0)} req/s (rounds ${perRound(lowRun)}), at ${high}: ${Math.round(highRun.rps ?? 0)} req/s (rounds ${perRound(highRun)})`);
    } catch (err) {
      o.log(`  ! ${peer.label}: ${String(err?.message ?? err).slice(0, 500)}`);
    } finally {
      for (const { inst } of sides) {
        await inst.stop();
        o.cleanups.delete(inst.stop);
      }
    }
  }
  return out;
}
