import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine.js';
import type { ResourceDeclaration } from '../engine/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import { createClient, type Client } from './client.js';
import { engineFetch } from './test-support/engine-fetch.js';

/*
 * The client driving the real engine in process through a custom `fetch`, over a real SQLite
 * file: the same calls as over a socket, with the engine's own validation, preconditions and
 * idempotency records.
 */
const resources: ResourceDeclaration[] = [
  {
    name: 'tickets',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'status'],
      properties: {
        subject: { type: 'string', minLength: 1 },
        status: { enum: ['open', 'pending', 'closed'] },
        notes: { type: 'array', items: { type: 'string' } },
      },
    },
  },
  {
    name: 'orders',
    requireIdempotencyKey: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['items'],
      properties: { items: { type: 'array', items: { type: 'string' }, minItems: 1 }, charge_card: { type: 'boolean' } },
    },
  },
];

interface Ticket {
  subject: string;
  status: 'open' | 'pending' | 'closed';
  notes?: string[];
}

let dir: string;
let engine: Engine;
let client: Client;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idem-client-'));
  const store = await openSqliteStore(join(dir, 'db.sqlite'));
  engine = createEngine({ resources, store });
  client = createClient({ baseUrl: 'http://in-process.invalid', fetch: engineFetch(engine), retry: { baseDelay: 10 } });
});
afterAll(async () => {
  await engine.stop();
  await engine.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the client against the engine in process', () => {
  it('the same key sent twice creates one order and replays the first response', async () => {
    const orders = client.resource<{ items: string[] }>('orders');
    const first = await orders.create({ items: ['book'] }, { idempotencyKey: 'order-1' });
    const second = await orders.create({ items: ['book'] }, { idempotencyKey: 'order-1' });
    expect(first).toMatchObject({ ok: true, status: 201, replayed: false });
    expect(second).toMatchObject({ ok: true, status: 201, replayed: true, data: first.ok ? first.data : {} });
    const all = await orders.listAll();
    expect(all.ok && all.data).toHaveLength(1);
  });

  it('a POST to a type that requires a key, sent without one, is a 400 validation failure', async () => {
    const r = await client.resource<{ items: string[] }>('orders').create({ items: ['x'] }, { idempotencyKey: false });
    expect(r).toMatchObject({ ok: false, kind: 'validation', status: 400 });
    expect(r.ok ? '' : r.problem?.type).toMatch(/idempotency-key-required$/);
  });

  it('the same key with a different body is 422 idempotency-mismatch, not retried', async () => {
    const orders = client.resource<{ items: string[] }>('orders');
    await orders.create({ items: ['a'] }, { idempotencyKey: 'order-2' });
    expect(await orders.create({ items: ['b'] }, { idempotencyKey: 'order-2' })).toMatchObject({
      ok: false, kind: 'idempotency-mismatch', status: 422, attempts: 1, idempotencyKey: 'order-2',
    });
  });

  it('an invalid document is a validation failure with field errors', async () => {
    const r = await client.post('/tickets', { subject: '', status: 'lost' });
    expect(r).toMatchObject({ ok: false, kind: 'validation', status: 400 });
    expect(!r.ok && r.kind === 'validation' && r.errors.length).toBeGreaterThan(0);
  });

  it('the ticket story: concurrent updates of different fields both land', async () => {
    const tickets = client.resource<Ticket>('tickets');
    const made = await tickets.create({ subject: 'VPN down', status: 'open', notes: [] });
    if (!made.ok) throw new Error(made.kind);
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const wait = () => (++arrived === 2 && release(), bothRead);

    const [a, b] = await Promise.all([
      tickets.update(made.data.id, async (t) => void (await wait(), (t.status = 'closed'))),
      tickets.update(made.data.id, async (t) => void (await wait(), (t.notes = [...(t.notes ?? []), 'Rebooted the gateway']))),
    ]);

    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(await tickets.get(made.data.id)).toMatchObject({ ok: true, data: { status: 'closed', notes: ['Rebooted the gateway'], version: 3 } });
  });
});
