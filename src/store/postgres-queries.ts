/**
 * Every statement of the PostgreSQL store, as named queries: pg prepares a named query once
 * per connection and afterwards sends only its name and parameters.
 */
import { DOCUMENT_COLUMNS, IDEMPOTENCY_COLUMNS, OUTBOX_COLUMNS, VERSION_COLUMNS } from './rows.js';

/** A named statement (pg's `QueryConfig` without values). */
export interface NamedQuery {
  name: string;
  text: string;
}

const q = (name: string, text: string): NamedQuery => ({ name: `idem_${name}`, text });

/** Statements used inside transactions (postgres-tx.ts). */
export const txQueries = {
  /**
   * Non-blocking transaction-scoped lock. Seed 1 keeps these keys apart from the document
   * locks (seed 0) below.
   */
  tryLock: q('try_lock', 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 1)) AS locked'),
  /**
   * `$1` is `collection/id`. Serialize writers of one resource even when its row does not exist yet (a FOR UPDATE on
   * no row locks nothing, so two creates of one client id would both succeed). Under READ
   * COMMITTED the SELECT that follows takes a new snapshot and sees the previous holder's
   * committed write.
   */
  lockDocument: q('lock_document', 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))'),
  getDocumentForUpdate: q(
    'get_document_for_update',
    `SELECT ${DOCUMENT_COLUMNS} FROM idem_documents WHERE collection = $1 AND id = $2 FOR UPDATE`,
  ),
  /** `doc` ($9) is the jsonb twin of `body` for filters; a tombstone has none. */
  putDocument: q(
    'put_document',
    `INSERT INTO idem_documents (${DOCUMENT_COLUMNS}, doc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
     ON CONFLICT (collection, id) DO UPDATE SET
       version = EXCLUDED.version, etag = EXCLUDED.etag, created_at = EXCLUDED.created_at,
       updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted, body = EXCLUDED.body, doc = EXCLUDED.doc`,
  ),
  appendVersion: q(
    'append_version',
    `INSERT INTO idem_versions (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  ),
  trimVersions: q(
    'trim_versions',
    `DELETE FROM idem_versions WHERE collection = $1 AND id = $2 AND version NOT IN (
       SELECT version FROM idem_versions WHERE collection = $1 AND id = $2 ORDER BY version DESC LIMIT $3)`,
  ),
  /** Inserts the claim, or waits for a concurrent claimer of the same value and does nothing. */
  claimUnique: q(
    'claim_unique',
    `INSERT INTO idem_unique_values (collection, field, value, id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (collection, field, value) DO NOTHING RETURNING id`,
  ),
  uniqueOwner: q(
    'unique_owner',
    'SELECT id FROM idem_unique_values WHERE collection = $1 AND field = $2 AND value = $3',
  ),
  releaseUnique: q('release_unique', 'DELETE FROM idem_unique_values WHERE collection = $1 AND id = $2'),
  getIdempotency: q(
    'get_idempotency',
    `SELECT ${IDEMPOTENCY_COLUMNS} FROM idem_idempotency_keys WHERE principal = $1 AND key = $2`,
  ),
  putIdempotency: q(
    'put_idempotency',
    `INSERT INTO idem_idempotency_keys (${IDEMPOTENCY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (principal, key) DO UPDATE SET
       fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state, response = EXCLUDED.response,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, lease_until = EXCLUDED.lease_until`,
  ),
  enqueueEffect: q(
    'enqueue_effect',
    `INSERT INTO idem_outbox (${OUTBOX_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  ),
} as const;

/** Statements run directly on the pool (postgres.ts). */
export const poolQueries = {
  getDocument: q('get_document', `SELECT ${DOCUMENT_COLUMNS} FROM idem_documents WHERE collection = $1 AND id = $2`),
  countDocuments: q(
    'count_documents',
    'SELECT count(*)::int AS count FROM idem_documents WHERE collection = $1 AND NOT deleted',
  ),
  listVersions: q(
    'list_versions',
    `SELECT ${VERSION_COLUMNS} FROM idem_versions
     WHERE collection = $1 AND id = $2 AND ($3::integer IS NULL OR version < $3::integer)
     ORDER BY version DESC LIMIT $4`,
  ),
  getVersion: q(
    'get_version',
    `SELECT ${VERSION_COLUMNS} FROM idem_versions WHERE collection = $1 AND id = $2 AND version = $3`,
  ),
  getIdempotency: txQueries.getIdempotency,
  listIdempotency: q(
    'list_idempotency',
    `SELECT ${IDEMPOTENCY_COLUMNS} FROM idem_idempotency_keys ORDER BY expires_at DESC, principal, key LIMIT $1`,
  ),
  /**
   * Insert a `running` claim, or take over a record that has expired or whose lease has run
   * out (as in sqlite.ts: `expiresAt <= now`, a `running` record without a lease counts as
   * lapsed); a live record is left alone and the statement returns no row.
   */
  claimIdempotency: q(
    'claim_idempotency',
    `INSERT INTO idem_idempotency_keys AS cur (${IDEMPOTENCY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (principal, key) DO UPDATE SET
       fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state, response = EXCLUDED.response,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, lease_until = EXCLUDED.lease_until
     WHERE cur.expires_at <= $9::bigint OR (cur.state = 'running' AND COALESCE(cur.lease_until, 0) <= $9::bigint)
     RETURNING key`,
  ),
  saveIdempotency: txQueries.putIdempotency,
  deleteIdempotency: q('delete_idempotency', 'DELETE FROM idem_idempotency_keys WHERE principal = $1 AND key = $2'),
  pruneIdempotency: q('prune_idempotency', 'DELETE FROM idem_idempotency_keys WHERE expires_at < $1'),
  /**
   * Claim due effects: SKIP LOCKED leaves rows another dispatcher is claiming right now, and
   * pushing `next_attempt_at` in the same statement hides the claimed rows from every later
   * claim until the lease runs out. A claim counts as an attempt (as in sqlite.ts).
   */
  claimEffects: q(
    'claim_effects',
    `WITH due AS (
       SELECT id FROM idem_outbox WHERE state = 'pending' AND next_attempt_at <= $1::bigint
       ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE idem_outbox o SET next_attempt_at = $1::bigint + $2::bigint, attempts = o.attempts + 1 FROM due WHERE o.id = due.id
     RETURNING ${OUTBOX_COLUMNS.split(', ').map((column) => `o.${column}`).join(', ')}`,
  ),
  markEffectDelivered: q(
    'mark_effect_delivered',
    `UPDATE idem_outbox SET state = 'delivered', delivered_at = $2, last_error = NULL
     WHERE id = $1`,
  ),
  markEffectFailed: q(
    'mark_effect_failed',
    `UPDATE idem_outbox SET last_error = $2,
       state = CASE WHEN $3::bigint IS NULL THEN 'failed' ELSE 'pending' END,
       next_attempt_at = COALESCE($3::bigint, next_attempt_at)
     WHERE id = $1`,
  ),
  listEffects: q(
    'list_effects',
    `SELECT ${OUTBOX_COLUMNS} FROM idem_outbox WHERE collection = $1 AND resource_id = $2 ORDER BY created_at, id`,
  ),
  countPendingEffects: q('count_pending_effects', "SELECT count(*)::int AS count FROM idem_outbox WHERE state = 'pending'"),
} as const;

/**
 * The list statement for a given shape: with or without `afterId`, and with `filters`
 * equality filters. Each shape is its own named statement.
 *
 * A filter is `doc @> {field: value}` (answerable from the GIN index) and `doc -> field =
 * value` (exact: `@>` alone would also match an array that contains the value). Values are
 * passed as JSON text and compared as jsonb, so 1, "1" and true are three different values.
 */
export function listDocumentsQuery(withAfterId: boolean, filters: number): NamedQuery {
  const conditions = ['collection = $1', 'NOT deleted'];
  let next = 2;
  if (withAfterId) conditions.push(`id > $${next++}`);
  for (let i = 0; i < filters; i++) {
    const field = `$${next++}::text`;
    const value = `$${next++}::jsonb`;
    conditions.push(`doc @> jsonb_build_object(${field}, ${value})`, `doc -> ${field} = ${value}`);
  }
  return q(
    `list_documents_${withAfterId ? 'after' : 'first'}_${filters}`,
    `SELECT ${DOCUMENT_COLUMNS} FROM idem_documents WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${next}`,
  );
}
