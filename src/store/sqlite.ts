import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackgroundCheckpointer } from './sqlite-checkpointer.js';
import { representation, storedBody } from './sqlite-document-body.js';
import { GroupCommitQueue } from './sqlite-group-commit.js';
import { historyReader, historyWriter } from './sqlite-history.js';
import { idempotencyReader, idempotencyWriter, type AppendedVersion } from './sqlite-idempotency.js';
import { SharedReadSnapshot } from './sqlite-read-snapshot.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { DOCUMENT_COLUMNS, effectValues, OUTBOX_COLUMNS, toDocument, toEffect, type DocumentRow, type OutboxRow } from './rows.js';
import type { FieldFilter, IdempotencyRecord, ListQuery, OutboxEffect, Store, StoreTx, StoredDocument, VersionQuery, VersionRecord } from './store.js';

/** A raw documents row read by its key: version, etag, created_at, updated_at, deleted, body, body_kind. */
type DocumentTuple = [number, string, string, string, 0 | 1, string, number];

/** A row of SQLite's documents table: the shared columns and how its body is kept. */
type SqliteDocumentRow = DocumentRow & { body_kind: number };

/** Row to StoredDocument, with the representation rebuilt from a compact body. */
function documentFromRow(row: SqliteDocumentRow): StoredDocument {
  const doc = toDocument(row);
  doc.body = representation(row.id, row.version, row.created_at, row.updated_at, row.body, row.body_kind);
  return doc;
}

/** SQLite tuning. `synchronous=FULL` makes an acknowledged write survive power loss, not just a crash. */
export interface SqliteOptions {
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a writer waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /**
   * Page cache of the read connection, MiB (default DEFAULT_READ_CACHE_MB). GETs that miss it
   * read the page from the OS; the cache counts in the process's RSS, as far as it fills.
   */
  readCacheMb?: number;
  /**
   * Copy the WAL back into the database file on a thread of its own (sqlite-checkpointer.ts),
   * not inside a COMMIT on the event loop. Default true; false restores SQLite's default.
   */
  backgroundCheckpoints?: boolean;
}

/**
 * The read connection's page cache, MiB. better-sqlite3's own default (~16 MiB) holds less than
 * the 19.5 MB documents table of 100k resources, and about one GET in four read a page from
 * the OS; with 32 MiB, GETs at 100k served 1.05x as many requests in eight alternating pairs
 * (bench/README.md, "The read cache at 100k, measured again"). A cache fills only with pages
 * read, so a smaller database costs no more memory than before.
 */
export const DEFAULT_READ_CACHE_MB = 32;

/**
 * Open (creating and migrating if needed) the embedded SQLite store at `path`.
 *
 * better-sqlite3 is synchronous, while the Store is async so PostgreSQL can implement it too.
 * Two connections keep that honest: every write runs on the writer connection, one
 * transaction at a time (an in-process queue with group commit, sqlite-group-commit.ts, and
 * `BEGIN IMMEDIATE` against other processes), so a transaction's awaits can never interleave
 * another's statements; reads
 * outside a transaction use a second connection, which in WAL mode sees only committed data
 * and never waits for the writer. A third connection, on a worker thread, copies the WAL back
 * into the database file (sqlite-checkpointer.ts).
 */
export async function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  writer.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  try {
    migrate(writer);
  } catch (error) {
    writer.close();
    throw error;
  }
  const reader = path === ':memory:' ? writer : new Database(path, { readonly: true });
  reader.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // An in-memory database is its one connection's cache: leave that alone unless asked.
  if (reader !== writer || options.readCacheMb !== undefined) reader.pragma(`cache_size = ${-Math.round((options.readCacheMb ?? DEFAULT_READ_CACHE_MB) * 1024)}`);
  return new SqliteStore(writer, reader, path !== ':memory:' && options.backgroundCheckpoints !== false ? path : undefined);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  // A newer idem may store rows this one would misread (migration 3 changed what `body` holds):
  // refuse rather than serve wrong documents.
  if (current > sqliteMigrations.length) {
    throw new Error(`${db.name} has schema version ${current}, written by a newer idem; this one knows versions up to ${sqliteMigrations.length}. Upgrade idem, or open a copy taken before the upgrade.`);
  }
  for (let v = current; v < sqliteMigrations.length; v++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** `$."field"`: a JSON path naming one top-level member, quoted so any name is safe. */
function jsonPath(field: string): string {
  return `$.${JSON.stringify(field)}`;
}

/**
 * An equality filter that compares JSON types strictly: json_extract alone would let `true`
 * match 1 and the string '["a"]' match an array, so the JSON type is checked first.
 *
 * A string is bound as JSON text and decoded by SQLite, like the stored value it is compared
 * with: a lone surrogate (valid JSON, `"\ud800"`, RFC 8259 §7) has no UTF-8 form, and what
 * the driver binds for one depends on V8 (Node 20 and 22 write it as WTF-8 bytes, matching
 * SQLite's decoding; Node 24 writes U+FFFD, which matched nothing). JSON.stringify escapes it.
 */
function filterClause(filter: FieldFilter): [string, unknown[]] {
  const path = jsonPath(filter.field);
  const { value } = filter;
  if (value === null) return [`json_type(body, ?) = 'null'`, [path]];
  if (typeof value === 'boolean') return [`json_type(body, ?) = '${value ? 'true' : 'false'}'`, [path]];
  if (typeof value === 'number') return [`json_type(body, ?) IN ('integer', 'real') AND json_extract(body, ?) = ?`, [path, path, value]];
  return [`json_type(body, ?) = 'text' AND json_extract(body, ?) = json_extract(?, '$')`, [path, path, JSON.stringify(value)]];
}

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly commits: GroupCommitQueue;
  private readonly tx: StoreTx;
  private readonly s;
  private readonly r;
  /** Absent when reads and writes share one connection (`:memory:`). */
  private readonly snapshot: SharedReadSnapshot | undefined;
  /**
   * The versions row the running transaction appended last: its key record may point to that
   * row's body rather than copy it (sqlite-idempotency.ts). The writer runs one transaction at
   * a time, and each starts with none.
   */
  private appended: AppendedVersion | undefined;
  private readonly checkpointer: BackgroundCheckpointer | undefined;

  /** @param checkpointsOf the database file to checkpoint on a thread of its own, if any. */
  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    checkpointsOf: string | undefined,
  ) {
    const w = (sql: string) => writer.prepare(sql);
    const r = (sql: string) => reader.prepare(sql);
    this.snapshot = reader === writer ? undefined : new SharedReadSnapshot(reader);
    // Each COMMIT ends the read snapshot first: the next read takes a new one and sees what was
    // just committed, and the COMMIT may restart or checkpoint the WAL without waiting for it.
    this.commits = new GroupCommitQueue(writer, this.snapshot?.end);
    this.checkpointer = checkpointsOf === undefined ? undefined : BackgroundCheckpointer.start(checkpointsOf, writer, () => this.commits.pause());
    this.s = {
      getDoc: w('SELECT * FROM documents WHERE collection = ? AND id = ?'),
      putDoc: w(
        `INSERT INTO documents (${DOCUMENT_COLUMNS}, body_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, etag = excluded.etag, created_at = excluded.created_at,
         updated_at = excluded.updated_at, deleted = excluded.deleted, body = excluded.body, body_kind = excluded.body_kind`,
      ),
      history: historyWriter(writer),
      uniqueOwner: w('SELECT id FROM unique_values WHERE collection = ? AND field = ? AND value = ?'),
      claimUnique: w('INSERT INTO unique_values (collection, field, value, id) VALUES (?, ?, ?, ?)'),
      releaseUnique: w('DELETE FROM unique_values WHERE collection = ? AND id = ?'),
      keys: idempotencyReader(writer),
      putKey: idempotencyWriter(writer),
      deleteKey: w('DELETE FROM idempotency_keys WHERE principal = ? AND key = ?'),
      // No expiry index (migration 5): rows are appended in write order, so the expired ones
      // are the run before the first live row, found by walking the rowids from the lowest. A
      // row that expired after a live one (the retention was shortened by a restart) stays
      // until the run reaches it; reads treat it as absent meanwhile (idempotent.ts).
      pruneKeys: w(
        `DELETE FROM idempotency_keys WHERE expires_at < @now AND rowid < coalesce(
           (SELECT rowid FROM idempotency_keys WHERE expires_at >= @now ORDER BY rowid LIMIT 1),
           (SELECT max(rowid) + 1 FROM idempotency_keys))`,
      ),
      enqueue: w(`INSERT INTO outbox (${OUTBOX_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      claimEffects: w(
        `UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN (
           SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?) RETURNING *`,
      ),
      delivered: w(`UPDATE outbox SET state = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?`),
      failed: w(`UPDATE outbox SET state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ? WHERE id = ?`),
    };
    this.r = {
      // collection and id are the caller's arguments: not decoded again on every read. Raw rows
      // (arrays, not objects with named properties) cost ~0.4 µs less per read in a loop.
      getDoc: r('SELECT version, etag, created_at, updated_at, deleted, body, body_kind FROM documents WHERE collection = ? AND id = ?').raw(true),
      count: r('SELECT COUNT(*) AS n FROM documents WHERE collection = ? AND deleted = 0'),
      history: historyReader(reader),
      keys: idempotencyReader(reader),
      effects: r('SELECT * FROM outbox WHERE collection = ? AND resource_id = ? ORDER BY created_at'),
      pending: r(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'`),
    };
    this.tx = this.makeTx();
  }

  private makeTx(): StoreTx {
    const s = this.s;
    return {
      // The writer runs one transaction at a time, so every name is free inside one.
      tryLock: async () => true,
      getDocumentForUpdate: async (collection, id) => {
        const row = s.getDoc.get(collection, id) as SqliteDocumentRow | undefined;
        return row && documentFromRow(row);
      },
      putDocument: async (d: StoredDocument) => {
        const [body, kind] = storedBody(d);
        s.putDoc.run(d.collection, d.id, d.version, d.etag, d.createdAt, d.updatedAt, d.deleted ? 1 : 0, body, kind);
      },
      appendVersion: async (v: VersionRecord) => {
        this.appended = { seq: s.history.append(v), principal: v.principal, idempotencyKey: v.idempotencyKey, body: v.body };
      },
      trimVersions: async (collection, id, keep) => {
        const removed = s.history.trim(collection, id, keep);
        // keep 0 removes the version just appended: no key row may point to it then.
        if (this.appended !== undefined && removed.includes(this.appended.seq)) this.appended = undefined;
      },
      claimUnique: async (collection, field, value, id) => {
        const owner = s.uniqueOwner.get(collection, field, value) as { id: string } | undefined;
        if (owner && owner.id !== id) return owner.id;
        if (!owner) s.claimUnique.run(collection, field, value, id);
        return undefined;
      },
      releaseUnique: async (collection, id) => {
        s.releaseUnique.run(collection, id);
      },
      getIdempotency: async (principal, key) => s.keys.get(principal, key),
      putIdempotency: async (record) => s.putKey.put(record, this.appended),
      enqueueEffect: async (e: OutboxEffect) => {
        s.enqueue.run(...effectValues(e));
      },
    };
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.commits.run(() => {
      this.appended = undefined;
      return fn(this.tx);
    });
  }

  /** A single write outside a caller's transaction, queued behind open transactions. */
  private write<T>(fn: () => T): Promise<T> {
    return this.transaction(async () => fn());
  }

  async getDocument(collection: string, id: string): Promise<StoredDocument | undefined> {
    this.snapshot?.enter();
    const row = this.r.getDoc.get(collection, id) as DocumentTuple | undefined;
    if (row === undefined) return undefined;
    const body = representation(id, row[0], row[2], row[3], row[5], row[6]);
    return { collection, id, version: row[0], etag: row[1], createdAt: row[2], updatedAt: row[3], deleted: row[4] === 1, body };
  }

  async listDocuments(collection: string, query: ListQuery): Promise<StoredDocument[]> {
    const where = ['collection = ?', 'deleted = 0'];
    const params: unknown[] = [collection];
    if (query.afterId !== undefined) {
      where.push('id > ?');
      params.push(query.afterId);
    }
    for (const f of query.filters) {
      const [clause, values] = filterClause(f);
      where.push(clause);
      params.push(...values);
    }
    params.push(query.limit);
    const sql = `SELECT * FROM documents WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
    this.snapshot?.enter();
    return (this.reader.prepare(sql).all(...params) as SqliteDocumentRow[]).map(documentFromRow);
  }

  async countDocuments(collection: string): Promise<number> {
    this.snapshot?.enter();
    return (this.r.count.get(collection) as { n: number }).n;
  }

  async listVersions(collection: string, id: string, query: VersionQuery): Promise<VersionRecord[]> {
    this.snapshot?.enter();
    return this.r.history.list(collection, id, query);
  }

  async getVersion(collection: string, id: string, version: number): Promise<VersionRecord | undefined> {
    this.snapshot?.enter();
    return this.r.history.get(collection, id, version);
  }

  async getIdempotency(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    this.snapshot?.enter();
    return this.r.keys.get(principal, key);
  }

  async listIdempotency(limit: number): Promise<IdempotencyRecord[]> {
    this.snapshot?.enter();
    return this.r.keys.recent(limit);
  }

  claimIdempotency(record: IdempotencyRecord, now: number): Promise<IdempotencyRecord | undefined> {
    return this.write(() => {
      const existing = this.s.keys.get(record.principal, record.key);
      if (existing) {
        const expired = existing.expiresAt <= now;
        const leaseLapsed = existing.state === 'running' && (existing.leaseUntil ?? 0) <= now;
        if (!expired && !leaseLapsed) return existing;
      }
      this.s.putKey.put(record);
      return undefined;
    });
  }

  saveIdempotency(record: IdempotencyRecord): Promise<void> {
    return this.write(() => this.s.putKey.put(record));
  }

  deleteIdempotency(principal: string, key: string): Promise<void> {
    return this.write(() => void this.s.deleteKey.run(principal, key));
  }

  pruneIdempotency(now: number): Promise<number> {
    return this.write(() => this.s.pruneKeys.run({ now }).changes);
  }

  claimEffects(now: number, leaseMs: number, limit: number): Promise<OutboxEffect[]> {
    return this.write(() => (this.s.claimEffects.all(now + leaseMs, now, limit) as OutboxRow[]).map(toEffect));
  }

  markEffectDelivered(id: string, now: number): Promise<void> {
    return this.write(() => void this.s.delivered.run(now, id));
  }

  markEffectFailed(id: string, error: string, nextAttemptAt: number | null): Promise<void> {
    return this.write(() => void this.s.failed.run(nextAttemptAt, nextAttemptAt, error, id));
  }

  async listEffects(collection: string, resourceId: string): Promise<OutboxEffect[]> {
    this.snapshot?.enter();
    return (this.r.effects.all(collection, resourceId) as OutboxRow[]).map(toEffect);
  }

  async countPendingEffects(): Promise<number> {
    this.snapshot?.enter();
    return (this.r.pending.get() as { n: number }).n;
  }

  async close(): Promise<void> {
    await this.commits.idle();
    // Before the writer: closed last, the writer checkpoints everything and removes the WAL.
    await this.checkpointer?.stop();
    this.snapshot?.end();
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
    this.checkpointer?.closeFiles();
  }
}
