/**
 * Rows of the store tables — the same columns in SQLite and PostgreSQL — and their mapping to
 * the Store's records (store.ts). Column lists live here too, so every query selects the same
 * shape.
 */
import type { IdempotencyRecord, OutboxEffect, StoredDocument, StoredResponse, VersionRecord } from './store.js';

/** Columns of the documents table a StoredDocument is built from. */
export const DOCUMENT_COLUMNS = 'collection, id, version, etag, created_at, updated_at, deleted, body';
/** Columns of `idem_versions`. */
export const VERSION_COLUMNS =
  'collection, id, version, change, body, etag, at, principal, request_id, method, idempotency_key';
/** Columns of `idem_idempotency_keys`. */
export const IDEMPOTENCY_COLUMNS = 'principal, key, fingerprint, state, response, created_at, expires_at, lease_until';
/** Columns of `idem_outbox`. */
export const OUTBOX_COLUMNS =
  'id, collection, resource_id, effect, idempotency_key, payload, state, attempts, next_attempt_at, last_error, created_at, delivered_at';

/** A row of `idem_documents`. */
export interface DocumentRow {
  collection: string;
  id: string;
  version: number;
  etag: string;
  created_at: string;
  updated_at: string;
  /** PostgreSQL has booleans; SQLite stores 0/1. */
  deleted: boolean | number;
  body: string;
}

/** A row of `idem_versions`. */
export interface VersionRow {
  collection: string;
  id: string;
  version: number;
  change: VersionRecord['change'];
  body: string | null;
  etag: string | null;
  at: string;
  principal: string;
  request_id: string;
  method: string;
  idempotency_key: string | null;
}

/** A row of the idempotency keys table; PostgreSQL bigints arrive as numbers (postgres-pool.ts). */
export interface IdempotencyRow {
  principal: string;
  key: string;
  fingerprint: string;
  state: IdempotencyRecord['state'];
  response: string | null;
  created_at: number;
  expires_at: number;
  lease_until: number | null;
}

/** A row of `idem_outbox`. */
export interface OutboxRow {
  id: string;
  collection: string;
  resource_id: string;
  effect: string;
  idempotency_key: string;
  payload: string;
  state: OutboxEffect['state'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** Row to StoredDocument. */
export function toDocument(row: DocumentRow): StoredDocument {
  return {
    collection: row.collection,
    id: row.id,
    version: row.version,
    etag: row.etag,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deleted: row.deleted === true || row.deleted === 1,
    body: row.body,
  };
}

/** Row to VersionRecord. */
export function toVersion(row: VersionRow): VersionRecord {
  return {
    collection: row.collection,
    id: row.id,
    version: row.version,
    change: row.change,
    body: row.body,
    etag: row.etag,
    at: row.at,
    principal: row.principal,
    requestId: row.request_id,
    method: row.method,
    idempotencyKey: row.idempotency_key,
  };
}

/** Row to IdempotencyRecord; the stored response is JSON text. */
export function toIdempotency(row: IdempotencyRow): IdempotencyRecord {
  return {
    principal: row.principal,
    key: row.key,
    fingerprint: row.fingerprint,
    state: row.state,
    response: row.response === null ? null : decodeResponse(row.response),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    leaseUntil: row.lease_until,
  };
}

/**
 * A stored response as column text: status and headers as one JSON line, a newline, then the
 * body exactly as it was sent. JSON.stringify of the whole response escaped every quote of the
 * body into a JSON string, on every keyed write; JSON text never holds a raw newline, so the
 * first one ends the head.
 */
export function encodeResponse(response: StoredResponse): string {
  return `${JSON.stringify({ status: response.status, headers: response.headers })}\n${response.body}`;
}

/** The column text back as a response; rows written as one JSON object (before the line form) still read. */
export function decodeResponse(text: string): StoredResponse {
  const newline = text.indexOf('\n');
  if (newline === -1) return JSON.parse(text) as StoredResponse;
  const head = JSON.parse(text.slice(0, newline)) as Pick<StoredResponse, 'status' | 'headers'>;
  return { status: head.status, headers: head.headers, body: text.slice(newline + 1) };
}

/** The values of an IdempotencyRecord in IDEMPOTENCY_COLUMNS order. */
export function idempotencyValues(record: IdempotencyRecord): unknown[] {
  return [
    record.principal,
    record.key,
    record.fingerprint,
    record.state,
    record.response === null ? null : encodeResponse(record.response),
    record.createdAt,
    record.expiresAt,
    record.leaseUntil,
  ];
}

/** The values of a VersionRecord in VERSION_COLUMNS order. */
export function versionValues(v: VersionRecord): unknown[] {
  return [v.collection, v.id, v.version, v.change, v.body, v.etag, v.at, v.principal, v.requestId, v.method, v.idempotencyKey];
}

/** The values of an OutboxEffect in OUTBOX_COLUMNS order. */
export function effectValues(e: OutboxEffect): unknown[] {
  return [e.id, e.collection, e.resourceId, e.effect, e.idempotencyKey, e.payload, e.state, e.attempts, e.nextAttemptAt, e.lastError, e.createdAt, e.deliveredAt];
}

/** Row to OutboxEffect. */
export function toEffect(row: OutboxRow): OutboxEffect {
  return {
    id: row.id,
    collection: row.collection,
    resourceId: row.resource_id,
    effect: row.effect,
    idempotencyKey: row.idempotency_key,
    payload: row.payload,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}
