/**
 * Test databases in the one PostgreSQL that test/global-setup.ts starts for a vitest run.
 *
 * Every caller gets a database of its own (`CREATE DATABASE` with a random name), so test
 * files running side by side never see each other's rows, and `drop()` removes it again.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (superuser, database `postgres`) of the PostgreSQL started for this run. */
    postgresUrl: string;
  }
}

/** A database made for one test (or test file). */
export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drop the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** The admin URL provided by the global setup. */
export function postgresAdminUrl(): string {
  return inject('postgresUrl');
}

/** Create an empty database with a random name and return its URL. */
export async function createTestDatabase(prefix = 'idem_test'): Promise<TestDatabase> {
  const adminUrl = postgresAdminUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runAdmin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) (PostgreSQL 13+) ends sessions a crashed test may have left behind.
    drop: () => runAdmin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

async function runAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
