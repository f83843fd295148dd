import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { ResourceDeclaration } from '../../engine/types.js';
import type { Store } from '../../store/store.js';
import { loadApiKeys } from '../auth/api-keys.js';
import { checkOpenAccess } from '../auth/open-access.js';
import type { ServerOptions } from '../server-options.js';
import { registerAccess } from './access.js';
import { registerAdminApi } from './admin-api.js';
import { registerConsolePage } from './console-page.js';
import { registerCors } from './cors.js';
import { registerDocsPage } from './docs-page.js';
import { registerMetrics } from './metrics.js';
import { registerOpenApiRoute } from './openapi-route.js';

/** The parts of the engine the plugins use (createEngine's Engine has them all). */
export interface PluginEngine {
  resources: readonly ResourceDeclaration[];
  store: Store;
  events: EventEmitter;
}

/**
 * Registers the operational plugins before createServer adds the resource routes, in the
 * order requests meet them:
 *
 * 1. CORS (only with `corsOrigins`), so a preflight is answered before authentication;
 * 2. access: API keys, per-principal rate limit, roles (SPEC §7);
 * 3. metrics: request counters, latency, idempotency outcomes, outbox backlog, `/metrics`;
 * 4. `/openapi.json`, the `/docs` page, the console page at `/` and its `/_idem/…` data.
 *
 * Throws (the server must not start) when the keys are misconfigured, or when the server would
 * run open on a non-loopback host without `insecureOpen` — the CLI checks the same earlier
 * with `checkOpenAccess` to print a friendly message; this is the library's own guard.
 */
export async function registerPlugins(app: FastifyInstance, engine: PluginEngine, options: ServerOptions): Promise<void> {
  const keys = loadApiKeys({ apiKeys: options.apiKeys, keysFile: options.keysFile });
  const decision = checkOpenAccess({ host: options.host, keyCount: keys.length, insecureOpen: options.insecureOpen });
  if (!decision.ok) throw new Error(decision.message);

  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) await registerCors(app, options.corsOrigins);
  await registerAccess(app, { keys, rateLimitPerMinute: options.rateLimitPerMinute });
  await registerMetrics(app, { collections: engine.resources.map((r) => r.name), store: engine.store, events: engine.events });
  registerOpenApiRoute(app, engine.resources, { idempotencyTtlMs: options.idempotencyTtlMs, authRequired: keys.length > 0 });
  registerDocsPage(app);
  registerConsolePage(app);
  registerAdminApi(app, { resources: engine.resources, store: engine.store });
}
