/**
 * Create or upgrade the schema on start, safely when several instances start at once.
 *
 * Every instance runs this when it opens the store. A session-level advisory lock
 * (`pg_advisory_lock`) serializes them: the first applies the missing migrations, each in
 * its own transaction together with its row in `idem_migrations`; the others wait on the
 * lock, then find nothing left to do. The lock is released explicitly and, should the
 * process die, by PostgreSQL when the session ends.
 */
import type pg from 'pg';
import { postgresMigrations } from './postgres-schema.js';

/**
 * The advisory lock key that guards migrations (a fixed 64-bit number; "idem" + "migrate"
 * in ASCII). Other users of advisory locks in the same database must avoid it.
 */
export const MIGRATION_LOCK_KEY = '7594301034785652';

/** Apply every migration not yet recorded in `idem_migrations`. Returns the versions applied. */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly string[] = postgresMigrations,
): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS idem_migrations (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await client.query<{ version: number }>('SELECT version FROM idem_migrations');
      const applied = new Set(done.rows.map((row) => row.version));
      const newlyApplied: number[] = [];
      for (const [index, sql] of migrations.entries()) {
        const version = index + 1;
        if (applied.has(version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO idem_migrations (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`PostgreSQL migration ${version} failed: ${(error as Error).message}`, { cause: error });
        }
        newlyApplied.push(version);
      }
      return newlyApplied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    // A client whose session may still hold the lock or an open transaction is destroyed,
    // not returned to the pool.
    client.release(broken);
  }
}
