import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from '../../engine/test-support/engine-harness.js';
import type { Store } from '../../store/store.js';
import { createServer } from '../create-server.js';

/**
 * /metrics (SPEC §9) through a real server. Effects are not started, so a charged order stays
 * in the outbox and the backlog gauge has a known value.
 */
let harness: EngineHarness;
let store: Store;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  harness = await engineHarness();
  store = harness.engine.store;
  app = await createServer(harness.engine, { host: '127.0.0.1' });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await harness?.close();
});

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Response> {
  const response = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  await response.arrayBuffer();
  return response;
}

/** The value of one sample line, e.g. `idem_outbox_backlog` or `name{label="x"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('counts requests by route pattern and status, idempotency outcomes, store latency and the outbox backlog', async () => {
    const json = { 'content-type': 'application/json' };
    const order = { items: ['book'], charge_card: true };
    expect((await send('POST', '/orders', { ...json, 'idempotency-key': '"order-1"' }, order)).status).toBe(201);
    const replay = await send('POST', '/orders', { ...json, 'idempotency-key': '"order-1"' }, order);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await send('POST', '/orders', { ...json, 'idempotency-key': '"order-1"' }, { items: ['other'] })).status).toBe(422);
    const location = replay.headers.get('location') as string;
    expect((await send('GET', location)).status).toBe(200);
    expect((await send('GET', '/no-such-collection/1')).status).toBe(404);

    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();

    expect(sample(text, 'idem_http_requests_total{method="POST",route="/orders",status="201"}')).toBe(2);
    expect(sample(text, 'idem_http_requests_total{method="POST",route="/orders",status="422"}')).toBe(1);
    expect(sample(text, 'idem_http_requests_total{method="GET",route="/orders/{id}",status="200"}')).toBe(1);
    expect(sample(text, 'idem_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'idem_http_request_duration_seconds_count{method="GET",route="/orders/{id}",status="200"}')).toBe(1);
    expect(text).not.toContain(location.split('/')[2] as string);

    expect(sample(text, 'idem_idempotency_requests_total{outcome="stored"}')).toBe(1);
    expect(sample(text, 'idem_idempotency_requests_total{outcome="replayed"}')).toBe(1);
    expect(sample(text, 'idem_idempotency_requests_total{outcome="mismatch"}')).toBe(1);
    expect(sample(text, 'idem_idempotency_requests_total{outcome="in-flight"}')).toBe(0);

    // Two store transactions: the create, and the first retry's, which read its key's record.
    // The 422 was answered from the record that retry left in memory, and GETs open none.
    expect(sample(text, 'idem_store_transaction_duration_seconds_count')).toBe(2);
    expect(sample(text, 'idem_outbox_backlog')).toBe(1);
    expect(sample(text, 'idem_outbox_backlog')).toBe(await store.countPendingEffects());
  });

  it('keeps its own registry: a second server in the same process starts from zero', async () => {
    const other = await createServer(harness.engine, { host: '127.0.0.1' });
    try {
      const text = (await other.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'idem_http_requests_total{method="POST",route="/orders",status="201"}')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
