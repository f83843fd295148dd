import type { FastifyInstance } from 'fastify';
import type { ResourceDeclaration } from '../../engine/types.js';
import { buildOpenApi } from '../openapi/build-openapi.js';
import { completeReadOnlyRoute } from './fixed-route-methods.js';

/**
 * `GET /openapi.json` (SPEC §9). The document only depends on the declarations and options,
 * so it is built and serialised once. Any authenticated principal may read it.
 */
export function registerOpenApiRoute(app: FastifyInstance, resources: readonly ResourceDeclaration[], options: { idempotencyTtlMs: number; authRequired: boolean }): void {
  const text = JSON.stringify(buildOpenApi(resources, options));
  app.get('/openapi.json', { config: { idemAccess: 'any-principal' }, exposeHeadRoute: true }, async (_request, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-cache').send(text),
  );
  completeReadOnlyRoute(app, '/openapi.json', { idemAccess: 'any-principal' });
}
