import type { IdempotencyRecord, OutboxEffect, StoredDocument, VersionRecord } from './store.js';

/** Row shapes as SQLite returns them, and their mapping to the Store's types. */

export interface DocumentRow {
  collection: string;
  id: string;
  version: number;
  etag: string;
  created_at: string;
  updated_at: string;
  deleted: number;
  body: string;
}

export function toDocument(row: DocumentRow): StoredDocument {
  return {
    collection: row.collection,
    id: row.id,
    version: row.version,
    etag: row.etag,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deleted: row.deleted === 1,
    body: row.body,
  };
}

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

export function toIdempotency(row: IdempotencyRow): IdempotencyRecord {
  return {
    principal: row.principal,
    key: row.key,
    fingerprint: row.fingerprint,
    state: row.state,
    response: row.response === null ? null : JSON.parse(row.response),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    leaseUntil: row.lease_until,
  };
}

export function idempotencyParams(r: IdempotencyRecord): unknown[] {
  return [r.principal, r.key, r.fingerprint, r.state, r.response === null ? null : JSON.stringify(r.response), r.createdAt, r.expiresAt, r.leaseUntil];
}

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
