import type { Store } from './store.js';
import { openSqliteStore } from './sqlite.js';

/**
 * Open the store a database URL names:
 * - `sqlite:PATH` (or a bare path) — the embedded default, one file, WAL;
 * - `postgres://…` / `postgresql://…` — several server instances on one database.
 * PostgreSQL support is loaded only when asked for, so the embedded default never loads `pg`.
 */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(url);
  }
  const path = url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path === '') throw new Error(`Database URL ${JSON.stringify(url)} names no file; use sqlite:./data/idem.db or postgres://user@host/db.`);
  return openSqliteStore(path);
}

/** A short, secret-free description of a database URL for start-up messages. */
export function describeDatabase(url: string): string {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  }
  return `SQLite file ${url.replace(/^sqlite:(\/\/)?/, '')}`;
}
