/**
 * The Store: everything idem keeps, behind one async, transactional interface.
 *
 * Every write of a request — precondition check, document, version row, unique values,
 * idempotency record, outbox row — happens inside one `transaction()`, so either all of it
 * is durable or none of it is. Reads outside a transaction see only committed data, and
 * every write this store acknowledged before the read began.
 * SQLite (sqlite.ts) and PostgreSQL (postgres.ts) implement it; contract.ts is the one test
 * suite both must pass.
 */

/** One resource as stored: the exact representation bytes plus the fields idem queries on. */
export interface StoredDocument {
  collection: string;
  id: string;
  /** 1 on first create, +1 on every change (a DELETE and a re-create are changes too). */
  version: number;
  /** The strong ETag of `body`. */
  etag: string;
  createdAt: string;
  updatedAt: string;
  /** A DELETE leaves a tombstone so versions keep counting up and history stays readable. */
  deleted: boolean;
  /** The JSON representation served to clients (client fields + id, version, createdAt, updatedAt). Empty for a tombstone. */
  body: string;
}

/** One entry of a resource's history (SPEC §6). */
export interface VersionRecord {
  collection: string;
  id: string;
  version: number;
  /** create | replace | patch | delete */
  change: 'create' | 'replace' | 'patch' | 'delete';
  /** The representation after the change; null for a delete. */
  body: string | null;
  etag: string | null;
  at: string;
  principal: string;
  requestId: string;
  method: string;
  idempotencyKey: string | null;
}

/** A response as stored for replay. The body is kept as text (idem only stores JSON and problem+json). */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The record of one idempotency key (SPEC §4), scoped by principal.
 * - `done`: the request ran; `response` is replayed to a retry with the same fingerprint.
 * - `running`: claimed by a proxy that is forwarding it; `leaseUntil` says until when.
 * - `unknown`: a proxy lost the upstream answer after sending; an operator decides.
 */
export interface IdempotencyRecord {
  principal: string;
  key: string;
  fingerprint: string;
  state: 'done' | 'running' | 'unknown';
  response: StoredResponse | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms after which the record is pruned and the key may run afresh. */
  expiresAt: number;
  /** Epoch ms; only for `running`. */
  leaseUntil: number | null;
}

/** A side effect recorded in the transactional outbox (SPEC §5). */
export interface OutboxEffect {
  id: string;
  collection: string;
  resourceId: string;
  effect: string;
  /** `<request key or change id>:<effect name>`: the receiver deduplicates on it. */
  idempotencyKey: string;
  /** JSON text `{ url, body }`: where to deliver, and what to send. Opaque to the store. */
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** Epoch ms before which the dispatcher leaves the row alone (backoff and claim lease). */
  nextAttemptAt: number;
  lastError: string | null;
  /** Epoch ms. */
  createdAt: number;
  deliveredAt: number | null;
}

/** An equality filter on a top-level scalar field. */
export interface FieldFilter {
  field: string;
  value: string | number | boolean | null;
}

export interface ListQuery {
  filters: FieldFilter[];
  /** Return ids strictly greater than this one (keyset pagination). */
  afterId: string | undefined;
  limit: number;
}

export interface VersionQuery {
  /** Return versions strictly lower than this one (newest first). */
  beforeVersion: number | undefined;
  limit: number;
}

/** What a transaction can do. Every call sees the transaction's own writes. */
export interface StoreTx {
  /**
   * Take a lock named `name` until the transaction ends, without waiting: false when another
   * transaction holds it. Used to answer 409 "still running" for a concurrent request with the
   * same Idempotency-Key instead of queueing it.
   */
  tryLock(name: string): Promise<boolean>;
  /** The document including a tombstone, read for update (locked until the transaction ends). */
  getDocumentForUpdate(collection: string, id: string): Promise<StoredDocument | undefined>;
  /** Insert or overwrite the document row (tombstones included). */
  putDocument(doc: StoredDocument): Promise<void>;
  /**
   * Record the resource's newest version. Its document row must already be put (in this
   * transaction or an earlier one), and one resource's versions come in increasing order: the
   * SQLite store chains each version to the one before through the document row.
   */
  appendVersion(version: VersionRecord): Promise<void>;
  /** Keep only the newest `keep` versions of one resource (versions are consecutive numbers). */
  trimVersions(collection: string, id: string, keep: number): Promise<void>;
  /**
   * Claim `value` of a unique field for a resource. Returns the id that already owns it, if
   * another resource does; otherwise records the claim and returns undefined.
   */
  claimUnique(collection: string, field: string, value: string, id: string): Promise<string | undefined>;
  /** Release every unique value one resource holds (before re-claiming on replace, or on delete). */
  releaseUnique(collection: string, id: string): Promise<void>;
  getIdempotency(principal: string, key: string): Promise<IdempotencyRecord | undefined>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  enqueueEffect(effect: OutboxEffect): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;

  /** Committed document, tombstones included (the engine answers 404 for them). */
  getDocument(collection: string, id: string): Promise<StoredDocument | undefined>;
  /**
   * Live documents ordered by id. Filters compare JSON types strictly: `true` never matches 1,
   * a string never matches an array, and a `null` filter matches an explicit null only.
   */
  listDocuments(collection: string, query: ListQuery): Promise<StoredDocument[]>;
  /** Live documents only (tombstones are not counted). */
  countDocuments(collection: string): Promise<number>;
  /** Newest first. */
  listVersions(collection: string, id: string, query: VersionQuery): Promise<VersionRecord[]>;
  getVersion(collection: string, id: string, version: number): Promise<VersionRecord | undefined>;

  /** Committed idempotency record. */
  getIdempotency(principal: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Recent records, newest first (for the console page): in the order they were last written
   * (SQLite, its rowids) or by expiry (PostgreSQL), which is the same order under one retention.
   */
  listIdempotency(limit: number): Promise<IdempotencyRecord[]>;
  /**
   * Claim a key for a request that runs outside a store transaction (the proxy): inserts a
   * `running` record unless one exists whose lease has not expired. Returns the existing
   * record when the claim fails, undefined when it succeeded. An expired record (past
   * `expiresAt`), or a `running` one past its lease, is taken over.
   */
  claimIdempotency(record: IdempotencyRecord, now: number): Promise<IdempotencyRecord | undefined>;
  /** Overwrite a record (finish a claim, mark it unknown, resolve it). */
  saveIdempotency(record: IdempotencyRecord): Promise<void>;
  deleteIdempotency(principal: string, key: string): Promise<void>;
  /**
   * Delete records whose `expiresAt` is before `now`; returns how many. SQLite deletes those
   * written before the oldest live record, and a record that expired after a live one (after a
   * restart with a shorter retention) waits for a later prune. Readers treat any record past
   * its `expiresAt` as absent, so an unpruned one is never replayed.
   */
  pruneIdempotency(now: number): Promise<number>;

  /**
   * Claim up to `limit` pending effects whose `nextAttemptAt` has passed, pushing their
   * `nextAttemptAt` to `now + leaseMs` so no other dispatcher (in this or another process)
   * takes them meanwhile. Each claim counts as an attempt (`attempts + 1`).
   */
  claimEffects(now: number, leaseMs: number, limit: number): Promise<OutboxEffect[]>;
  markEffectDelivered(id: string, now: number): Promise<void>;
  /** Record a failed attempt; `nextAttemptAt` is when to try again, or null to give up (state `failed`). */
  markEffectFailed(id: string, error: string, nextAttemptAt: number | null): Promise<void>;
  /** In no particular order. */
  listEffects(collection: string, resourceId: string): Promise<OutboxEffect[]>;
  /** Pending effects: the outbox backlog. */
  countPendingEffects(): Promise<number>;

  close(): Promise<void>;
}
