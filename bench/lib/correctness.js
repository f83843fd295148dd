/**
 * Correctness under load, recorded beside the speed numbers: a fast server that loses writes
 * is not a peer. For each peer: a fresh instance with 1000 resources, `checkDuration` seconds
 * of concurrent POST/PUT/PATCH (write-check-worker.js), every acknowledged id read back over
 * HTTP, then the server is stopped and its store audited: the stored count must equal
 * seeded + 2xx POSTs, and the store must be intact.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runJsonChild } from './process.js';

const CHECK_SCALE = 1000;

/**
 * @param {{ root: string, workDir: string, cfg: any, shared: any, log: (l: string) => void, peers: any[], cleanups: Set<() => Promise<void>> }} o
 * @returns {Promise<Record<string, object>>}
 */
export async function runCorrectnessCheck(o) {
  /** @type {Record<string, object>} */
  const out = {};
  for (const peer of o.peers) {
    const dir = join(o.workDir, `${peer.name}-check`);
    mkdirSync(dir, { recursive: true });
    let inst;
    try {
      inst = await peer.start({ root: o.root, dir, scale: CHECK_SCALE, shared: o.shared });
      o.cleanups.add(inst.stop);
      const load = await runJsonChild(
        join(o.root, 'bench/lib/write-check-worker.js'),
        { url: inst.url, seconds: o.cfg.checkDuration, connections: o.cfg.connections, idsFile: inst.idsFile, patchType: inst.patchType },
        { cwd: o.root, timeoutMs: o.cfg.checkDuration * 1000 + 300_000 },
      );
      await inst.stop();
      o.cleanups.delete(inst.stop);
      const store = await inst.verify();
      const expected = CHECK_SCALE + load.postOk;
      const countOk = store !== null && store.count === expected;
      const pass = countOk && store.intact && load.missing === 0 && load.distinct === load.createdIds && load.errors === 0;
      out[peer.name] = { scale: CHECK_SCALE, ...load, expected, store, pass };
      o.log(
        `  ${peer.label.padEnd(30)} ${pass ? 'PASS' : 'FAIL'}  2xx POSTs ${load.postOk}, other 2xx writes ${load.writeOk}, ` +
          `stored ${store?.count ?? '?'} (expected ${expected}), read-back missing ${load.missing}, ` +
          `socket errors ${load.errors}, intact ${store?.intact}${load.postFailed + load.writeFailed ? `, non-2xx ${JSON.stringify(load.statuses)}` : ''}`,
      );
    } catch (err) {
      if (inst) {
        await inst.stop().catch(() => {});
        o.cleanups.delete(inst.stop);
      }
      out[peer.name] = { pass: false, error: String(err?.message ?? err).slice(0, 500) };
      o.log(`  ${peer.label.padEnd(30)} ERROR ${out[peer.name].error}`);
    }
  }
  return out;
}
