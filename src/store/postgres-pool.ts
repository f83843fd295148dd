/**
 * The connection pool of the PostgreSQL store, and how its values come back to JavaScript.
 */
import pg from 'pg';

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Most connections this process opens (default 10). Size it so that instances × max stays under the server's `max_connections`. */
  max?: number;
}

const INT8_OID = 20;

/**
 * int8 (bigint) comes back as a JavaScript number instead of pg's default string. Epoch
 * milliseconds and row counts stay far below 2^53, where a number is exact. Set per pool,
 * not through the global `pg.types`, so the application's own pg use is unaffected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A pool for `url` (a `postgres://` or `postgresql://` connection string). */
export function createPool(url: string, options: PostgresStoreOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: 'idem',
    types,
    // An instance that stops mid-transaction (frozen, network cut) must not hold its locks on
    // resources and keys for ever: PostgreSQL ends a transaction left idle for 60 s (rolled
    // back: nothing of it happened), and TCP keep-alive notices a peer that has gone.
    idle_in_transaction_session_timeout: 60_000,
    keepAlive: true,
  });
  // An idle connection that the server closes (restart, failover, idle timeout) is reported
  // here; without a listener Node would crash the process. The pool already discards that
  // connection and opens a new one for the next query, so there is nothing else to do.
  pool.on('error', () => {});
  return pool;
}
