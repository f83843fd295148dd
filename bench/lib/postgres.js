/**
 * One real PostgreSQL for the bench, from scripts/embedded-postgres.mjs (the tests use the same
 * helper) run in a child process, on a free 127.0.0.1 port. Unlike the tests it keeps
 * PostgreSQL's durable defaults (`--durable`: fsync on, synchronous_commit on), because idem's
 * SQLite store runs with synchronous=FULL and the comparison must be durable write against
 * durable write. The child process also keeps `embedded-postgres`'s exit hook out of the bench
 * process, where it would replace the bench's exit code with 0.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const HELPER = fileURLToPath(new URL('../../scripts/embedded-postgres.mjs', import.meta.url));

/**
 * Start PostgreSQL. Resolves with a handle whose `databaseUrl(name)` creates a fresh database.
 * @returns {Promise<{ adminUrl: string, databaseUrl: (name: string) => Promise<string>, postmasterPid: () => number, stop: () => Promise<void> }>}
 */
export async function startPostgres() {
  // stdin stays open as a lifeline: if the bench dies, the helper sees it end and stops.
  const child = spawn(process.execPath, [HELPER, '--durable'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  /** @type {{ url?: string, pid?: number, error?: string }} */
  const ready = await new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => resolve({ error: `the PostgreSQL helper exited with ${code} before it was ready` }));
  });
  if (ready.url === undefined) {
    child.kill('SIGTERM');
    throw new Error(`embedded PostgreSQL did not start: ${ready.error ?? 'no answer'}`);
  }
  const adminUrl = ready.url;
  return {
    adminUrl,
    async databaseUrl(name) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    /** The postmaster's pid: its process tree is the database's CPU. */
    postmasterPid: () => ready.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
