/**
 * Issue 10: what `idem proxy` costs in front of an API that has no Idempotency-Key support.
 * json-server 0.17.4 (1000 customers) is measured directly and through
 * `node dist/cli.js proxy --target URL --port N`, alternately, and the report gives the req/s
 * ratio and the added p99 per operation.
 *
 * Part of `npm run bench`; also runs alone: `node bench/proxy-overhead.js` (BENCH_* settings apply).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runJsonChild, startNode } from './lib/process.js';
import { shebangNodeFlags } from './lib/idem-command.js';
import { waitIdle } from './lib/cpu.js';
import { jsonServer017 } from './peers/json-server.js';

/** Direct operation → operation through the proxy it is compared with. */
export const PROXY_PAIRS = [
  { label: 'GET by id (passed through)', direct: 'get', proxied: 'get' },
  { label: 'POST without key (passed through)', direct: 'post', proxied: 'post' },
  { label: 'POST + Idempotency-Key (claimed, stored)', direct: 'post', proxied: 'post-idem' },
  { label: 'POST replay (answered from the store)', direct: 'post', proxied: 'replay' },
];

/**
 * How to start the proxy from this build: `dist/cli.js proxy`, else the standalone
 * `dist/proxy/bin.js` (the same command, used while `idem proxy` is not wired into the CLI).
 * @param {string} root
 * @returns {{ problem: string | null, entry: string[], help: string, note: string }}
 */
function proxyEntry(root) {
  const tried = [];
  for (const entry of [['dist/cli.js', 'proxy'], ['dist/proxy/bin.js']]) {
    const file = join(root, entry[0]);
    if (!existsSync(file)) {
      tried.push(`${entry[0]} not found`);
      continue;
    }
    const r = spawnSync(process.execPath, [file, ...entry.slice(1), '--help'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    const help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    // commander answers `idem proxy --help` with the top-level help when there is no such command.
    if (r.status === 0 && help.includes('--target')) {
      const note = entry[0] === 'dist/cli.js' ? '`idem proxy`' : '`node dist/proxy/bin.js` (the `idem proxy` command; `dist/cli.js proxy` is not available in this build)';
      return { problem: null, entry: [...shebangNodeFlags(file), file, ...entry.slice(1)], help, note };
    }
    tried.push(`\`${entry.join(' ')} --help\` shows no --target`);
  }
  return { problem: `idem proxy is not available in this build (${tried.join('; ')}) — run \`npm run build\``, entry: [], help: '', note: '' };
}

/**
 * @param {{ root: string, workDir: string, cfg: any, log: (l: string) => void, cleanups: Set<() => Promise<void>> }} o
 */
export async function runProxyOverhead(o) {
  const { problem, entry, help, note } = proxyEntry(o.root);
  if (problem) {
    o.log(`  skipped: ${problem}`);
    return { skipped: problem };
  }
  const dir = join(o.workDir, 'proxy');
  mkdirSync(dir, { recursive: true });
  const upstream = await jsonServer017.start({ root: o.root, dir, scale: 1000 });
  o.cleanups.add(upstream.stop);
  let proxy;
  try {
    const port = await freePort();
    const args = [...entry, '--target', upstream.url, '--port', String(port)];
    if (help.includes('--host')) args.push('--host', '127.0.0.1');
    // Keys go to a SQLite file like idem's own store, when the proxy takes a --db.
    if (help.includes('--db')) args.push('--db', `sqlite:${join(dir, 'proxy.db')}`);
    proxy = await startNode({ args, cwd: o.root, logFile: join(dir, 'proxy.log'), readyUrl: `http://127.0.0.1:${port}/customers/1` });
    o.cleanups.add(() => proxy.stop());
    const viaProxy = { ...upstream, url: `http://127.0.0.1:${port}` };
    const cpuPids = [{ pid: upstream.server.pid }, { pid: proxy.pid }];
    const measure = (inst, op) =>
      runJsonChild(
        join(o.root, 'bench/lib/load-worker.js'),
        { url: inst.url, op, connections: o.cfg.connections, duration: o.cfg.duration, warmup: o.cfg.warmup, idsFile: inst.idsFile, patchType: inst.patchType, cpuPids },
        { cwd: o.root, timeoutMs: (o.cfg.duration + o.cfg.warmup) * 1000 + 180_000 },
      )
        .catch((err) => ({ op, error: String(err?.message ?? err).slice(0, 400) }))
        // Queued requests finish before the next run starts (see run.js).
        .then(async (r) => (await waitIdle(cpuPids, 60_000), r));

    const direct = {};
    const rows = [];
    for (const pair of PROXY_PAIRS) {
      direct[pair.direct] ??= await measure(upstream, pair.direct);
      const via = await measure(viaProxy, pair.proxied);
      const d = direct[pair.direct];
      const row = {
        label: pair.label,
        direct: d,
        proxied: via,
        ratio: d.rps && via.rps ? via.rps / d.rps : null,
        addedP99: typeof d.p99 === 'number' && typeof via.p99 === 'number' ? via.p99 - d.p99 : null,
      };
      rows.push(row);
      o.log(
        `  ${pair.label.padEnd(42)} direct ${d.error ? 'ERROR' : `${d.rps?.toFixed(0)} req/s p99 ${d.p99} ms`} | proxy ${via.error ? `ERROR ${via.error}` : `${via.rps?.toFixed(0)} req/s p99 ${via.p99} ms${via.non2xx ? ` non-2xx ${JSON.stringify(via.statusCodes)}` : ''}`}` +
          (row.ratio !== null ? ` | ratio ${row.ratio.toFixed(2)}x, p99 ${row.addedP99 >= 0 ? "+" : ""}${row.addedP99?.toFixed(1)} ms` : ''),
      );
    }
    const proxyRss = proxy.samplePeakRss();
    return { upstream: 'json-server 0.17.4, 1000 customers', command: note, rows, proxyRss };
  } catch (err) {
    const message = String(err?.message ?? err).slice(0, 500);
    o.log(`  proxy section failed: ${message}`);
    return { skipped: `failed: ${message}` };
  } finally {
    if (proxy) await proxy.stop();
    await upstream.stop();
    o.cleanups.delete(upstream.stop);
  }
}

// Standalone: `node bench/proxy-overhead.js`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadConfig } = await import('./lib/config.js');
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const workDir = mkdtempSync(join(tmpdir(), 'idem-proxy-bench-'));
  try {
    await runProxyOverhead({ root, workDir, cfg: loadConfig(), log: (l) => process.stdout.write(`${l}\n`), cleanups: new Set() });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
