/**
 * StoreTx over one pooled PostgreSQL connection inside BEGIN … COMMIT (READ COMMITTED).
 */
import type pg from 'pg';
import type { NamedQuery } from './postgres-queries.js';
import { txQueries as sql } from './postgres-queries.js';
import { effectValues, idempotencyValues, toDocument, toIdempotency, versionValues } from './rows.js';
import { jsonbSafeString, jsonbText, lockName } from './postgres-text.js';
import type { DocumentRow, IdempotencyRow } from './rows.js';
import type { IdempotencyRecord, OutboxEffect, StoredDocument, StoreTx, VersionRecord } from './store.js';

/** Run `fn` in a transaction on a connection from `pool`: COMMIT when it resolves, ROLLBACK when it throws. */
export async function runTransaction<T>(pool: pg.Pool, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  const tx = new PostgresTx(client);
  let result: T;
  try {
    result = await fn(tx);
  } catch (error) {
    // The caller's error (a 412, a validation failure…) is rethrown as it is. The connection
    // goes back to the pool unless even ROLLBACK failed: then it is destroyed.
    tx.close();
    let broken: Error | undefined;
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    client.release(broken);
    throw error;
  }
  tx.close();
  try {
    await client.query('COMMIT');
  } catch (error) {
    // A failed COMMIT has ended the transaction; only a broken connection is discarded.
    client.release(isConnectionError(error) ? (error as Error) : undefined);
    throw error;
  }
  client.release();
  return result;
}

/** Errors raised by the connection itself (no SQLSTATE), after which it cannot be reused. */
function isConnectionError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code !== 'string';
}

class PostgresTx implements StoreTx {
  #client: pg.PoolClient | undefined;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  /** Calls after the transaction ended would run on a connection someone else may now hold. */
  close(): void {
    this.#client = undefined;
  }

  async #query<R extends pg.QueryResultRow>(query: NamedQuery, values: unknown[]): Promise<R[]> {
    if (this.#client === undefined) throw new Error('This transaction has already ended.');
    const result = await this.#client.query<R>({ ...query, values });
    return result.rows;
  }

  async tryLock(name: string): Promise<boolean> {
    const rows = await this.#query<{ locked: boolean }>(sql.tryLock, [lockName(name)]);
    return rows[0]?.locked === true;
  }

  async getDocumentForUpdate(collection: string, id: string): Promise<StoredDocument | undefined> {
    await this.#query(sql.lockDocument, [lockName(`${collection}/${id}`)]);
    const rows = await this.#query<DocumentRow>(sql.getDocumentForUpdate, [collection, id]);
    return rows[0] === undefined ? undefined : toDocument(rows[0]);
  }

  async putDocument(doc: StoredDocument): Promise<void> {
    await this.#query(sql.putDocument, [
      doc.collection,
      doc.id,
      doc.version,
      doc.etag,
      doc.createdAt,
      doc.updatedAt,
      doc.deleted,
      doc.body,
      doc.deleted ? null : jsonbText(doc.body),
    ]);
  }

  async appendVersion(v: VersionRecord): Promise<void> {
    await this.#query(sql.appendVersion, versionValues(v));
  }

  async trimVersions(collection: string, id: string, keep: number): Promise<void> {
    await this.#query(sql.trimVersions, [collection, id, Math.max(0, keep)]);
  }

  async claimUnique(collection: string, field: string, value: string, id: string): Promise<string | undefined> {
    // ON CONFLICT DO NOTHING waits for a concurrent transaction inserting the same value:
    // if it commits, this claim loses and the owner is read below (READ COMMITTED: the new
    // statement sees the committed row); if it rolls back, this claim is inserted.
    // Any string is a valid unique value; text cannot hold NUL, so it is stored encoded.
    const stored = jsonbSafeString(value);
    // Should the owner release the value between the two statements, claim it again.
    for (;;) {
      const inserted = await this.#query(sql.claimUnique, [collection, field, stored, id]);
      if (inserted.length > 0) return undefined;
      const owner = await this.#query<{ id: string }>(sql.uniqueOwner, [collection, field, stored]);
      const ownerId = owner[0]?.id;
      // The resource already holding its own value is no conflict.
      if (ownerId !== undefined) return ownerId === id ? undefined : ownerId;
    }
  }

  async releaseUnique(collection: string, id: string): Promise<void> {
    await this.#query(sql.releaseUnique, [collection, id]);
  }

  async getIdempotency(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this.#query<IdempotencyRow>(sql.getIdempotency, [principal, key]);
    return rows[0] === undefined ? undefined : toIdempotency(rows[0]);
  }

  async putIdempotency(record: IdempotencyRecord): Promise<void> {
    await this.#query(sql.putIdempotency, idempotencyValues(record));
  }

  async enqueueEffect(e: OutboxEffect): Promise<void> {
    await this.#query(sql.enqueueEffect, effectValues(e));
  }
}
