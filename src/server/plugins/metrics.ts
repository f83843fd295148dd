import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../../store/store.js';
import { completeReadOnlyRoute } from './fixed-route-methods.js';
import { OUTCOME } from '../../engine/idempotent.js';
import { MetricSeries } from './metric-series.js';
import { routePatterns } from './route-pattern.js';

/** What the metrics plugin reads from the engine. */
export interface MetricsSources {
  /** Declared collection names, to label resource routes. */
  collections: readonly string[];
  store: Pick<Store, 'countPendingEffects'>;
  /** Emits `idempotency` `{ outcome }` and `transaction` `{ ms }`. */
  events: EventEmitter;
}

/** Idempotency outcomes the engine reports; anything else is counted as `other`. */
const OUTCOMES: ReadonlySet<string> = new Set(Object.values(OUTCOME).map((event) => event.outcome));

/**
 * Prometheus metrics at `/metrics` (SPEC §9) in the text exposition format, from a Registry of
 * this server's own — never prom-client's global one, so two servers in one process (tests,
 * embedding) do not mix or collide.
 *
 * - `idem_http_requests_total` and `idem_http_request_duration_seconds` by method, route
 *   pattern and status;
 * - `idem_idempotency_requests_total` by outcome: `replayed` (a retry got the stored answer),
 *   `mismatch` (422, key reused with another request), `in-flight` (409, still running),
 *   `stored`;
 * - `idem_outbox_backlog`: pending side effects, read from the store at scrape time;
 * - `idem_store_transaction_duration_seconds`;
 * - the process metrics of `collectDefaultMetrics`, prefixed `idem_`.
 */
export async function registerMetrics(app: FastifyInstance, sources: MetricsSources): Promise<Registry> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'idem_' });
  const routePattern = routePatterns(sources.collections);

  const http = new MetricSeries(['method', 'route', 'status'], [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  registry.registerMetric(http.counter('idem_http_requests_total', 'HTTP requests answered, by method, route pattern and status.') as never);
  registry.registerMetric(
    http.histogram('idem_http_request_duration_seconds', 'Time from receiving a request to sending its response, by method, route pattern and status.') as never,
  );
  const idempotency = new MetricSeries(['outcome']);
  registry.registerMetric(
    idempotency.counter('idem_idempotency_requests_total', 'Requests with an Idempotency-Key, by outcome: stored, replayed, mismatch (422), in-flight (409).') as never,
  );
  const transactions = new MetricSeries([], [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);
  registry.registerMetric(transactions.histogram('idem_store_transaction_duration_seconds', 'Duration of store transactions, from asking for one to its commit or rollback: one per write that reaches the store (a replay from memory and a request rejected before its transaction open none).') as never);
  new Gauge({
    name: 'idem_outbox_backlog',
    help: 'Side effects recorded in the outbox and not yet delivered.',
    registers: [registry],
    async collect() {
      this.set(await sources.store.countPendingEffects());
    },
  });
  for (const outcome of OUTCOMES) idempotency.declare([outcome]);

  const onIdempotency = (event: { outcome?: unknown }): void => {
    const outcome = typeof event?.outcome === 'string' && OUTCOMES.has(event.outcome) ? event.outcome : 'other';
    idempotency.observe([outcome]);
  };
  const onTransaction = (event: { ms?: unknown }): void => {
    if (typeof event?.ms === 'number' && Number.isFinite(event.ms)) transactions.observe([], event.ms / 1000);
  };
  sources.events.on('idempotency', onIdempotency);
  sources.events.on('transaction', onTransaction);
  // The engine may outlive this server (tests, reloads): do not keep counting into a dead registry.
  app.addHook('onClose', async () => {
    sources.events.off('idempotency', onIdempotency);
    sources.events.off('transaction', onTransaction);
  });

  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    http.observe([request.method, routePattern(request.routeOptions.url, request.url), String(reply.statusCode)], reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { config: { idemAccess: 'any-principal' }, exposeHeadRoute: true }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text);
  });
  completeReadOnlyRoute(app, '/metrics', { idemAccess: 'any-principal' });
  return registry;
}
