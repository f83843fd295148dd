import type { Store } from './store.js';
import { openSqliteStore, type SqliteOptions } from './sqlite.js';

/** Whether a database URL names PostgreSQL (schemes are case-insensitive, RFC 3986 §3.1). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Open the store a database URL names:
 * - `sqlite:PATH` (or a bare path) — the embedded default, one file, WAL. `?synchronous=normal`
 *   trades durability across power loss (not across a process crash) for write speed;
 *   `read_cache_mb=N` sizes the read connection's page cache (MiB, counted in RSS);
 *   `checkpoints=inline` copies the WAL back inside COMMITs, SQLite's default, instead of on a
 *   thread of its own (`background`, the default; sqlite-checkpointer.ts);
 * - `postgres://…` / `postgresql://…` — several server instances on one database.
 * PostgreSQL support is loaded only when asked for, so the embedded default never loads `pg`.
 */
export async function openStore(url: string): Promise<Store> {
  if (isPostgresUrl(url)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(url);
  }
  const { path, options } = parseSqliteUrl(url);
  return openSqliteStore(path, options);
}

/**
 * A URL scheme at the start of a database URL (RFC 3986 §3.1), two characters or more so that
 * a Windows drive letter (`C:\data\idem.db`) still reads as a path.
 */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/** `sqlite:PATH[?synchronous=full|normal][&read_cache_mb=N][&checkpoints=background|inline]` → the file path and its options. */
export function parseSqliteUrl(url: string): { path: string; options: SqliteOptions } {
  const scheme = SCHEME.exec(url)?.[1];
  // Any other scheme would otherwise become a file path: `postgress://db/app` (a typo) or
  // `mysql://…` would quietly open a new SQLite file under ./postgress:/, and every instance
  // pointed at "the shared database" would write to a file of its own.
  if (scheme !== undefined && scheme.toLowerCase() !== 'sqlite') {
    throw new Error(
      `Database URL ${JSON.stringify(url)}: idem does not know the scheme ${scheme}:. Use sqlite:PATH or a plain path for the embedded database, or postgres://user@host/db for PostgreSQL (for a file whose name has a colon, start the path with ./).`,
    );
  }
  const rest = scheme === undefined ? url : url.slice(scheme.length + 1);
  const spec = scheme !== undefined && rest.startsWith('//') ? rest.slice(2) : rest;
  const q = spec.indexOf('?');
  const path = q === -1 ? spec : spec.slice(0, q);
  if (path === '') throw new Error(`Database URL ${JSON.stringify(url)} names no file; use sqlite:./data/idem.db or postgres://user@host/db.`);
  const options: SqliteOptions = {};
  for (const [name, value] of new URLSearchParams(q === -1 ? '' : spec.slice(q + 1))) {
    if (name === 'synchronous' && /^(full|normal)$/i.test(value)) options.synchronous = value.toUpperCase() as 'FULL' | 'NORMAL';
    else if (name === 'read_cache_mb' && /^\d{1,4}$/.test(value) && Number(value) >= 1 && Number(value) <= 4096) options.readCacheMb = Number(value);
    else if (name === 'checkpoints' && /^(background|inline)$/i.test(value)) options.backgroundCheckpoints = value.toLowerCase() === 'background';
    else throw new Error(`Database URL ${JSON.stringify(url)}: unknown option ${name}=${value}; the options are synchronous=full|normal, read_cache_mb=1..4096 and checkpoints=background|inline.`);
  }
  return { path, options };
}

/** A short, secret-free description of a database URL for start-up messages. */
export function describeDatabase(url: string): string {
  if (isPostgresUrl(url)) {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  }
  const { path, options } = parseSqliteUrl(url);
  const cache = options.readCacheMb === undefined ? '' : `, read cache ${options.readCacheMb} MiB`;
  const checkpoints = options.backgroundCheckpoints === false ? ', checkpoints inline' : '';
  return `SQLite file ${path} (WAL, synchronous=${options.synchronous ?? 'FULL'}${cache}${checkpoints})`;
}
