/**
 * The PostgreSQL store: several `idem serve` instances sharing one database.
 *
 * Nothing that matters lives in one process: per-resource write serialization and
 * "request still running" locks are PostgreSQL advisory locks, idempotency keys and the
 * outbox are rows, and outbox claims use `FOR UPDATE SKIP LOCKED` with a lease, so
 * instances cooperate through the database alone. Transactions run at READ COMMITTED.
 * Layout and semantics mirror sqlite.ts; contract.ts is the suite both pass.
 */
import type pg from 'pg';
import { migratePostgres } from './postgres-migrate.js';
import { createPool, type PostgresStoreOptions } from './postgres-pool.js';
import { listDocumentsQuery, poolQueries as sql, type NamedQuery } from './postgres-queries.js';
import { idempotencyValues, toDocument, toEffect, toIdempotency, toVersion } from './rows.js';
import type { DocumentRow, IdempotencyRow, OutboxRow, VersionRow } from './rows.js';
import { jsonbFilterValue, jsonbSafeString } from './postgres-text.js';
import { runTransaction } from './postgres-tx.js';
import type { IdempotencyRecord, ListQuery, OutboxEffect, Store, StoredDocument, StoreTx, VersionQuery, VersionRecord } from './store.js';

export type { PostgresStoreOptions } from './postgres-pool.js';

/**
 * Connect to PostgreSQL at `url` (`postgres://user:password@host:port/database`), create or
 * migrate the schema (safe when several instances start at once) and return the store.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = createPool(url, options);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStore(pool);
}

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async #query<R extends pg.QueryResultRow>(query: NamedQuery, values: unknown[]): Promise<pg.QueryResult<R>> {
    return await this.#pool.query<R>({ ...query, values });
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return runTransaction(this.#pool, fn);
  }

  async getDocument(collection: string, id: string): Promise<StoredDocument | undefined> {
    const { rows } = await this.#query<DocumentRow>(sql.getDocument, [collection, id]);
    return rows[0] === undefined ? undefined : toDocument(rows[0]);
  }

  async listDocuments(collection: string, query: ListQuery): Promise<StoredDocument[]> {
    const values: unknown[] = [collection];
    if (query.afterId !== undefined) values.push(query.afterId);
    // Typed values travel as JSON text and are compared as jsonb (see listDocumentsQuery).
    for (const filter of query.filters) values.push(jsonbSafeString(filter.field), jsonbFilterValue(filter.value));
    values.push(query.limit);
    const statement = listDocumentsQuery(query.afterId !== undefined, query.filters.length);
    const { rows } = await this.#query<DocumentRow>(statement, values);
    return rows.map(toDocument);
  }

  async countDocuments(collection: string): Promise<number> {
    const { rows } = await this.#query<{ count: number }>(sql.countDocuments, [collection]);
    return rows[0]?.count ?? 0;
  }

  async listVersions(collection: string, id: string, query: VersionQuery): Promise<VersionRecord[]> {
    const { rows } = await this.#query<VersionRow>(sql.listVersions, [collection, id, query.beforeVersion ?? null, query.limit]);
    return rows.map(toVersion);
  }

  async getVersion(collection: string, id: string, version: number): Promise<VersionRecord | undefined> {
    const { rows } = await this.#query<VersionRow>(sql.getVersion, [collection, id, version]);
    return rows[0] === undefined ? undefined : toVersion(rows[0]);
  }

  async getIdempotency(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.#query<IdempotencyRow>(sql.getIdempotency, [principal, key]);
    return rows[0] === undefined ? undefined : toIdempotency(rows[0]);
  }

  async listIdempotency(limit: number): Promise<IdempotencyRecord[]> {
    const { rows } = await this.#query<IdempotencyRow>(sql.listIdempotency, [limit]);
    return rows.map(toIdempotency);
  }

  async claimIdempotency(record: IdempotencyRecord, now: number): Promise<IdempotencyRecord | undefined> {
    // One statement claims or takes over; when it leaves a live record alone, report that
    // record. Should it vanish in between (pruned, deleted), claim again.
    for (;;) {
      const claimed = await this.#query(sql.claimIdempotency, [...idempotencyValues(record), now]);
      if (claimed.rowCount === 1) return undefined;
      const existing = await this.getIdempotency(record.principal, record.key);
      if (existing !== undefined) return existing;
    }
  }

  async saveIdempotency(record: IdempotencyRecord): Promise<void> {
    await this.#query(sql.saveIdempotency, idempotencyValues(record));
  }

  async deleteIdempotency(principal: string, key: string): Promise<void> {
    await this.#query(sql.deleteIdempotency, [principal, key]);
  }

  async pruneIdempotency(now: number): Promise<number> {
    const result = await this.#query(sql.pruneIdempotency, [now]);
    return result.rowCount ?? 0;
  }

  async claimEffects(now: number, leaseMs: number, limit: number): Promise<OutboxEffect[]> {
    const { rows } = await this.#query<OutboxRow>(sql.claimEffects, [now, leaseMs, limit]);
    return rows.map(toEffect);
  }

  async markEffectDelivered(id: string, now: number): Promise<void> {
    await this.#query(sql.markEffectDelivered, [id, now]);
  }

  async markEffectFailed(id: string, error: string, nextAttemptAt: number | null): Promise<void> {
    // An error message is free text: keep it storable.
    await this.#query(sql.markEffectFailed, [id, error.replaceAll('\u0000', '\uFFFD'), nextAttemptAt]);
  }

  async listEffects(collection: string, resourceId: string): Promise<OutboxEffect[]> {
    const { rows } = await this.#query<OutboxRow>(sql.listEffects, [collection, resourceId]);
    return rows.map(toEffect);
  }

  async countPendingEffects(): Promise<number> {
    const { rows } = await this.#query<{ count: number }>(sql.countPendingEffects, []);
    return rows[0]?.count ?? 0;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
