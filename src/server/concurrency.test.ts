import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from './test-support/example-server.js';

let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer();
});
afterAll(async () => server.close());

const json = { 'content-type': 'application/json' };

describe('concurrent writes over real sockets', () => {
  it('20 concurrent PUTs with the same If-Match: exactly one 200, the rest 412, and the winner is what is stored', async () => {
    const created = await fetch(`${server.url}/tickets`, { method: 'POST', headers: json, body: JSON.stringify({ subject: 'race', status: 'open' }) });
    const etag = created.headers.get('etag') as string;
    const { id } = (await created.json()) as { id: string };
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${server.url}/tickets/${id}`, {
          method: 'PUT',
          headers: { ...json, 'if-match': etag },
          body: JSON.stringify({ subject: `writer ${i}`, status: 'pending' }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = responses[statuses.indexOf(200)] as Response;
    const stored = (await (await fetch(`${server.url}/tickets/${id}`)).json()) as { subject: string; version: number };
    expect(stored).toMatchObject({ ...((await winner.json()) as object), version: 2 });
    const history = (await (await fetch(`${server.url}/tickets/${id}/versions`)).json()) as { items: unknown[] };
    expect(history.items).toHaveLength(2);
  });

  it('10 concurrent POSTs with one Idempotency-Key create exactly one order; the others replay or get 409 + Retry-After, never 500', async () => {
    const body = JSON.stringify({ items: ['book'], charge_card: false });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${server.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"same-key"' }, body })),
    );
    const created = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const replayed = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
    const inFlight = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(replayed.length + inFlight.length).toBe(9);
    for (const r of inFlight) expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    const locations = new Set([...created, ...replayed].map((r) => r.headers.get('location')));
    expect(locations.size).toBe(1);
    const orders = (await (await fetch(`${server.url}/orders`)).json()) as { items: unknown[] };
    expect(orders.items).toHaveLength(1);
  });

  it('concurrent creates of one client id with If-None-Match: * — exactly one 201', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${server.url}/flights/RACE1`, { method: 'PUT', headers: { ...json, 'if-none-match': '*' }, body: JSON.stringify({ status: 'ontime', gate: `G${i}` }) }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(9);
  });
});
