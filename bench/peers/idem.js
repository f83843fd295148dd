/**
 * Peers: idem itself, `node dist/cli.js serve` (built by `npm run build`) on SQLite, on
 * PostgreSQL, and as two instances on one PostgreSQL database behind a round-robin TCP
 * balancer, serving the example API's `customers` collection.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { idemCommand } from '../lib/idem-command.js';
import { freePort, runJsonChild, startNode } from '../lib/process.js';

/** `idem serve --help` of this build, to pass only options it has. */
let serveHelp = '';

/**
 * Why `idem serve` cannot run from this checkout, or null.
 * @param {string} root
 */
function cliProblem(root) {
  serveHelp = '';
  const cli = join(root, 'dist/cli.js');
  if (!existsSync(cli)) return 'dist/cli.js not found — run `npm run build` (npm run bench does)';
  const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  const text = `${help.stdout ?? ''}${help.stderr ?? ''}`;
  serveHelp = text;
  if (help.status !== 0 || !text.includes('--db')) return `\`idem serve --help\` shows no --db option: ${text.trim().slice(0, 300)}`;
  return null;
}

/**
 * Count live customers through idem's own Store API (dist/store/*), so the check does not
 * depend on table layout.
 * @param {string} root
 * @param {'sqlite' | 'postgres'} kind
 * @param {string} target  file path or postgres URL
 */
async function countThroughStore(root, kind, target) {
  const mod = await import(pathToFileURL(join(root, `dist/store/${kind}.js`)).href);
  const open = kind === 'sqlite' ? mod.openSqliteStore : mod.openPostgresStore;
  const store = await open(target);
  try {
    return await store.countDocuments('customers');
  } finally {
    await store.close();
  }
}

/**
 * Seed `scale` customers through idem's own engine in a separate process (seed-idem-worker.js),
 * before any server starts. Resolves with a note on success, or with why it could not (the
 * caller then seeds over HTTP once its server is up).
 * @param {import('./types.js').PeerContext} ctx
 * @param {string} db
 * @returns {Promise<{ seedNote?: string, inProcessError?: string }>}
 */
async function seedInProcess(ctx, db) {
  const idsFile = join(ctx.dir, 'ids.json');
  try {
    const seed = await runJsonChild(
      join(ctx.root, 'bench/lib/seed-idem-worker.js'),
      { root: ctx.root, db, count: ctx.scale, concurrency: 16, idsFile },
      { cwd: ctx.root, timeoutMs: 30 * 60_000 },
    );
    if (seed.failed > 0) throw new Error(`${seed.failed} creates failed, first: ${seed.firstFailure}`);
    return { seedNote: `seeded ${seed.created} through idem's engine (no HTTP) in ${seed.seconds.toFixed(1)} s` };
  } catch (err) {
    return { inProcessError: String(err?.message ?? err).split('\n')[0].slice(0, 200) };
  }
}

/**
 * The fallback: POST `scale` customers to a running server (or the balancer in front of several).
 * @param {import('./types.js').PeerContext} ctx
 * @param {string} url
 * @param {string | undefined} inProcessError
 */
async function seedOverHttp(ctx, url, inProcessError) {
  const seed = await runJsonChild(
    join(ctx.root, 'bench/lib/seed-worker.js'),
    { url, count: ctx.scale, concurrency: 32, idsFile: join(ctx.dir, 'ids.json') },
    { cwd: ctx.root, timeoutMs: 30 * 60_000 },
  );
  if (seed.failed > 0) throw new Error(`seeding: ${seed.failed} POSTs failed, first: ${seed.firstFailure}`);
  return `seeded ${seed.created} over HTTP in ${seed.seconds.toFixed(1)} s (in-process seeding failed: ${inProcessError})`;
}

/**
 * Start one `idem serve` on `db` and wait until it answers.
 * @param {import('./types.js').PeerContext} ctx
 * @param {string} db
 * @param {string} logName  file name in ctx.dir
 * @returns {Promise<{ url: string, port: number, server: import('../lib/process.js').ServerProcess }>}
 */
async function startServe(ctx, db, logName) {
  const port = await freePort();
  const server = await startNode({
    args: [
      ...idemCommand(ctx.root), 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db,
      // Per-request logging is off in every peer (Fastify logger:false, json-server --quiet).
      ...(serveHelp.includes('--log-level') ? ['--log-level', 'warn'] : []),
      // On PostgreSQL the demo payment ledger would default to ./data in the repository: keep
      // it with this instance's files (one ledger shared by all instances of a peer).
      ...(!db.startsWith('sqlite:') && serveHelp.includes('--payments-db') ? ['--payments-db', join(ctx.dir, 'demo-payments.db')] : []),
    ],
    cwd: ctx.root,
    logFile: join(ctx.dir, logName),
    readyUrl: `http://127.0.0.1:${port}/healthz`,
  });
  return { url: `http://127.0.0.1:${port}`, port, server };
}

/**
 * Seed `scale` customers, then start `idem serve` on `db`. Seeding goes through idem's own
 * engine in a separate process (seed-idem-worker.js); if this build's library cannot do that,
 * it falls back to POSTing over HTTP once the server is up. Either way only idem writes idem's
 * rows (ETag, version, history).
 * @param {import('./types.js').PeerContext} ctx
 * @param {string} db  `sqlite:PATH` or a postgres URL
 */
async function startIdem(ctx, db) {
  const idsFile = join(ctx.dir, 'ids.json');
  const { seedNote, inProcessError } = await seedInProcess(ctx, db);
  const { url, server } = await startServe(ctx, db, 'server.log');
  if (seedNote) return { url, server, idsFile, seedNote };
  try {
    return { url, server, idsFile, seedNote: await seedOverHttp(ctx, url, inProcessError) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * Several server processes that the bench treats as one server: `stop()` stops the balancer
 * first, then every instance; `samplePeakRss()` is the sum of the instances' VmHWM (each
 * process's own peak, so the sum is an upper bound of their joint peak); the balancer's is kept
 * apart in `peakRssDetail`, since it is bench plumbing, not idem.
 */
class ServerGroup {
  /**
   * @param {import('../lib/process.js').ServerProcess[]} instances
   * @param {import('../lib/process.js').ServerProcess} balancer
   */
  constructor(instances, balancer) {
    this.instances = instances;
    this.balancer = balancer;
    /** The process the load generator connects to. */
    this.pid = balancer.pid;
    /** @type {{ instances: number[], balancer: number } | null} */
    this.peakRssDetail = null;
  }

  get exited() {
    return this.balancer.exited || this.instances.some((s) => s.exited);
  }

  samplePeakRss() {
    const instances = this.instances.map((s) => s.samplePeakRss());
    this.peakRssDetail = { instances, balancer: this.balancer.samplePeakRss() };
    return instances.every((b) => b > 0) ? instances.reduce((a, b) => a + b, 0) : 0;
  }

  async stop() {
    this.samplePeakRss();
    await this.balancer.stop();
    await Promise.all(this.instances.map((s) => s.stop()));
  }
}

/**
 * Seed `scale` customers exactly as startIdem does, then start `count` `idem serve` processes
 * on the same `db` and the bench's round-robin TCP balancer (lib/balancer.js, its own process)
 * in front of them. The returned url is the balancer's.
 * @param {import('./types.js').PeerContext} ctx
 * @param {string} db  a postgres URL
 * @param {number} count
 */
async function startIdemCluster(ctx, db, count) {
  const idsFile = join(ctx.dir, 'ids.json');
  const { seedNote, inProcessError } = await seedInProcess(ctx, db);
  /** @type {Array<{ url: string, port: number, server: import('../lib/process.js').ServerProcess }>} */
  const instances = [];
  let balancer;
  try {
    // One after the other, so a start-up failure names its instance's log.
    for (let i = 1; i <= count; i++) instances.push(await startServe(ctx, db, `server-${i}.log`));
    const port = await freePort();
    balancer = await startNode({
      args: [join(ctx.root, 'bench/lib/balancer.js'), String(port), ...instances.map((s) => String(s.port))],
      cwd: ctx.root,
      logFile: join(ctx.dir, 'balancer.log'),
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    const url = `http://127.0.0.1:${port}`;
    const server = new ServerGroup(instances.map((s) => s.server), balancer);
    return { url, server, idsFile, seedNote: seedNote ?? (await seedOverHttp(ctx, url, inProcessError)) };
  } catch (err) {
    await balancer?.stop();
    await Promise.all(instances.map((s) => s.server.stop()));
    throw err;
  }
}

/** @type {import('./types.js').Peer} */
export const idemSqlite = {
  name: 'idem-sqlite',
  label: 'idem (SQLite)',
  description: '`idem serve --db sqlite:…`: validation, ETags, history, idempotency keys, one SQLite transaction per write (WAL, synchronous=FULL)',
  version: 'this checkout (dist/)',
  // post-idem-v4 (random keys) only here: it shows what a key's index page costs, on one store.
  ops: ['get', 'replay', 'put', 'cond-put', 'patch', 'post', 'post-idem', 'post-idem-v4'],
  async unavailable({ root }) {
    return cliProblem(root);
  },
  async start(ctx) {
    const dbFile = join(ctx.dir, 'bench.db');
    const base = await startIdem(ctx, `sqlite:${dbFile}`);
    return {
      ...base,
      patchType: 'application/merge-patch+json',
      stop: () => base.server.stop(),
      verify: async () => {
        const db = new Database(dbFile, { readonly: true });
        let integrity;
        try {
          integrity = db.pragma('integrity_check', { simple: true });
        } finally {
          db.close();
        }
        const count = await countThroughStore(ctx.root, 'sqlite', dbFile);
        return { count, intact: integrity === 'ok', how: `SQLite PRAGMA integrity_check = ${integrity}; count via Store.countDocuments` };
      },
    };
  },
};

/**
 * Why the PostgreSQL peers cannot run here, or null.
 * @param {{ root: string, shared: Record<string, any> }} ctx
 */
function postgresProblem({ root, shared }) {
  if (!shared.postgres) return shared.postgresError ?? 'embedded PostgreSQL not started';
  if (!existsSync(join(root, 'dist/store/postgres.js'))) return 'dist/store/postgres.js not found (PostgreSQL store not built yet)';
  return cliProblem(root);
}

/**
 * Audit a PostgreSQL peer's database after its servers stopped.
 * @param {string} root
 * @param {string} url
 */
async function verifyPostgres(root, url) {
  const count = await countThroughStore(root, 'postgres', url);
  return { count, intact: count !== null, how: 'PostgreSQL: count via Store.countDocuments (no integrity pragma; every acknowledged id read back)' };
}

/** @type {import('./types.js').Peer} */
export const idemPostgres = {
  name: 'idem-postgres',
  label: 'idem (PostgreSQL)',
  description: '`idem serve --db postgres://…` against embedded PostgreSQL 18 with durable defaults (fsync, synchronous_commit on)',
  version: 'this checkout (dist/)',
  ops: ['get', 'replay', 'put', 'cond-put', 'patch', 'post', 'post-idem'],
  async unavailable(ctx) {
    return postgresProblem(ctx);
  },
  async start(ctx) {
    const pg = /** @type {any} */ (ctx.shared?.postgres);
    const url = await pg.databaseUrl(`bench_${Date.now().toString(36)}_${ctx.scale}`);
    const base = await startIdem(ctx, url);
    return {
      ...base,
      // The database works for this server during the run: its CPU is not background load.
      cpuPids: [{ pid: base.server.pid }, { pid: pg.postmasterPid(), tree: true }],
      patchType: 'application/merge-patch+json',
      stop: () => base.server.stop(),
      verify: async () => verifyPostgres(ctx.root, url),
    };
  },
};

/** Instances of the multi-instance PostgreSQL peer. */
const X2_INSTANCES = 2;

/** @type {import('./types.js').Peer} */
export const idemPostgresX2 = {
  name: 'idem-postgres-x2',
  label: 'idem (PostgreSQL, 2 instances)',
  description:
    'two `idem serve --db postgres://…` processes on one database of the same embedded PostgreSQL 18 (durable defaults), ' +
    "behind the bench's connection-level round-robin TCP balancer (bench/lib/balancer.js, its own process); " +
    'its CPU counts as the server\'s, and peak memory is the sum of both instances\' VmHWM',
  version: 'this checkout (dist/)',
  ops: ['get', 'replay', 'put', 'cond-put', 'patch', 'post', 'post-idem'],
  async unavailable(ctx) {
    return postgresProblem(ctx);
  },
  async start(ctx) {
    const pg = /** @type {any} */ (ctx.shared?.postgres);
    // Its own database: the single-instance peer's writes never meet these.
    const url = await pg.databaseUrl(`bench_x2_${Date.now().toString(36)}_${ctx.scale}`);
    const base = await startIdemCluster(ctx, url, X2_INSTANCES);
    const group = /** @type {ServerGroup} */ (base.server);
    return {
      ...base,
      // Both instances, the balancer and the database do this peer's work: none of it is background load.
      // Roles make the load generator report each one's share too (results: cpu.parts).
      cpuPids: [
        ...group.instances.map((s, i) => ({ pid: s.pid, role: `instance ${i + 1}` })),
        { pid: group.balancer.pid, role: 'balancer' },
        { pid: pg.postmasterPid(), tree: true, role: 'postgres' },
      ],
      patchType: 'application/merge-patch+json',
      stop: () => group.stop(),
      verify: async () => verifyPostgres(ctx.root, url),
    };
  },
};
