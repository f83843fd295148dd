import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceDeclaration } from '../../engine/types.js';
import { ProblemError } from '../../http/problem.js';
import type { IdempotencyRecord, Store, VersionRecord } from '../../store/store.js';
import { completeReadOnlyRoute } from './fixed-route-methods.js';
import { sendProblem } from './send-problem.js';

/** What the admin endpoints read. */
export interface AdminSources {
  resources: readonly ResourceDeclaration[];
  store: Pick<Store, 'countDocuments' | 'listVersions' | 'listIdempotency'>;
}

const MAX_LIMIT = 500;

/**
 * JSON endpoints under `/_idem/` that feed the console page. They show every principal's
 * data (history, idempotency keys), so they need the admin role when keys are configured
 * (`idemAccess: 'admin'`, enforced by the access hook). The `_idem` prefix cannot clash with a
 * resource type: names starting with `_` are reserved for idem.
 *
 * - `GET /_idem/resources`: each resource type with its document count and rules;
 * - `GET /_idem/resources/{type}/{id}/versions?limit=`: history with parsed documents, newest first;
 * - `GET /_idem/idempotency?limit=`: recent idempotency keys with their outcome (never the stored body).
 */
export function registerAdminApi(app: FastifyInstance, sources: AdminSources): void {
  const byName = new Map(sources.resources.map((r) => [r.name, r]));
  const config = { idemAccess: 'admin' as const };
  const exposeHeadRoute = true;
  const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store');

  app.get('/_idem/resources', { config, exposeHeadRoute }, async (_request, reply) => {
    const items = await Promise.all(
      sources.resources.map(async (r) => ({
        name: r.name,
        description: r.description ?? null,
        idPolicy: r.idPolicy ?? 'server',
        requirePreconditions: r.requirePreconditions === true,
        requireIdempotencyKey: r.requireIdempotencyKey === true,
        effects: (r.effects ?? []).map((e) => e.name),
        count: await sources.store.countDocuments(r.name),
      })),
    );
    return noStore(reply).send({ items });
  });

  app.get<{ Params: { type: string; id: string } }>('/_idem/resources/:type/:id/versions', { config, exposeHeadRoute }, async (request, reply) => {
    const { type, id } = request.params;
    if (!byName.has(type)) return sendProblem(request, reply, new ProblemError('not-found', `There is no resource type "${type}"; GET /_idem/resources lists them.`));
    const limit = parseLimit(request, reply, 100);
    if (typeof limit !== 'number') return limit;
    const versions = await sources.store.listVersions(type, id, { beforeVersion: undefined, limit });
    if (versions.length === 0) return sendProblem(request, reply, new ProblemError('not-found', `${type} ${JSON.stringify(id)} has no history: it never existed (or its history was pruned).`));
    return noStore(reply).send({ items: versions.map(versionView) });
  });

  app.get('/_idem/idempotency', { config, exposeHeadRoute }, async (request, reply) => {
    const limit = parseLimit(request, reply, 50);
    if (typeof limit !== 'number') return limit;
    const records = await sources.store.listIdempotency(limit);
    return noStore(reply).send({ items: records.map(keyView) });
  });
  for (const url of ['/_idem/resources', '/_idem/resources/:type/:id/versions', '/_idem/idempotency']) completeReadOnlyRoute(app, url, config);
}

function parseLimit(request: FastifyRequest, reply: FastifyReply, fallback: number): number | FastifyReply {
  const raw = (request.query as Record<string, unknown>)['limit'];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (n >= 1 && n <= MAX_LIMIT) return n;
  return sendProblem(
    request,
    reply,
    new ProblemError('invalid-query', `limit must be a whole number from 1 to ${MAX_LIMIT}; got ${JSON.stringify(raw)}.`, {
      errors: [{ pointer: '#/query/limit', message: `must be 1 to ${MAX_LIMIT}` }],
    }),
  );
}

/** A history entry with its representation parsed, for the console's diff. */
function versionView(v: VersionRecord): Record<string, unknown> {
  let document: unknown = null;
  if (v.body !== null) {
    try {
      document = JSON.parse(v.body);
    } catch {
      document = null;
    }
  }
  return { version: v.version, change: v.change, at: v.at, principal: v.principal, requestId: v.requestId, method: v.method, idempotencyKey: v.idempotencyKey, etag: v.etag, document };
}

const OUTCOMES: Record<IdempotencyRecord['state'], string> = {
  done: 'completed (replayed on retry)',
  running: 'still running',
  unknown: 'outcome unknown (an operator must resolve it)',
};

/** An idempotency record without the stored response body (it may hold another principal's data). */
function keyView(r: IdempotencyRecord): Record<string, unknown> {
  return {
    principal: r.principal,
    key: r.key,
    state: r.state,
    outcome: OUTCOMES[r.state],
    status: r.response?.status ?? null,
    location: r.response?.headers['location'] ?? null,
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
  };
}
