/**
 * Builders and helpers shared by the Store contract suite (contract.ts). Each builder makes
 * a complete, valid record from a few fields so a test states only what it is about.
 */
import { beforeEach, afterEach } from 'vitest';
import type { IdempotencyRecord, OutboxEffect, Store, StoredDocument, VersionRecord } from './store.js';

/** What the contract suite needs from a store under test. */
export type OpenStore = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/** A fresh, empty store for every test, cleaned up after it. Returns a getter. */
export function useFreshStore(open: OpenStore): () => Store {
  let current: { store: Store; cleanup(): Promise<void> } | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('The store is only open inside a test.');
    return current.store;
  };
}

const T0 = '2025-01-01T00:00:00.000Z';

/** A live document whose body carries `fields` plus the server-managed fields. */
export function doc(collection: string, id: string, version: number, fields: Record<string, unknown> = {}): StoredDocument {
  const body = JSON.stringify({ ...fields, id, version, createdAt: T0, updatedAt: T0 });
  return { collection, id, version, etag: `"${id}-v${version}"`, createdAt: T0, updatedAt: T0, deleted: false, body };
}

/** The tombstone a DELETE leaves at `version`. */
export function tombstone(collection: string, id: string, version: number): StoredDocument {
  return { collection, id, version, etag: `"${id}-v${version}"`, createdAt: T0, updatedAt: T0, deleted: true, body: '' };
}

/** A history entry. */
export function versionRecord(collection: string, id: string, version: number, overrides: Partial<VersionRecord> = {}): VersionRecord {
  return {
    collection,
    id,
    version,
    change: version === 1 ? 'create' : 'replace',
    body: JSON.stringify({ id, version }),
    etag: `"${id}-v${version}"`,
    at: T0,
    principal: 'alice',
    requestId: `req-${version}`,
    method: version === 1 ? 'POST' : 'PUT',
    idempotencyKey: null,
    ...overrides,
  };
}

/** A finished idempotency record with a stored 201 response. */
export function keyRecord(principal: string, key: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    principal,
    key,
    fingerprint: `POST /orders ${key}`,
    state: 'done',
    response: {
      status: 201,
      headers: { 'content-type': 'application/json', location: `/orders/${key}`, etag: '"e1"' },
      body: '{"id":"o1","items":["book"]}',
    },
    createdAt: 1_000,
    expiresAt: 100_000,
    leaseUntil: null,
    ...overrides,
  };
}

/** A pending outbox effect, due at `nextAttemptAt`. */
export function effect(id: string, overrides: Partial<OutboxEffect> = {}): OutboxEffect {
  return {
    id,
    collection: 'orders',
    resourceId: 'o1',
    effect: 'charge',
    idempotencyKey: `k-${id}:charge`,
    payload: JSON.stringify({ order: 'o1', amount: 42 }),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 1_000,
    lastError: null,
    createdAt: 1_000,
    deliveredAt: null,
    ...overrides,
  };
}

/** Resolve after `ms` milliseconds (used only to give a concurrent party the chance to act). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolve when `condition()` holds or after `ms`, whichever comes first. */
export async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await pause(5);
}

/** The error a rolled-back transaction throws in the tests. */
export class Abort extends Error {
  constructor() {
    super('abort on purpose');
    this.name = 'Abort';
  }
}
