import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { ProblemError } from '../../http/problem.js';
import { sendProblem } from './send-problem.js';

const OTHER_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Complete a read-only route (GET and HEAD) with the answers RFC 9110 asks for the other
 * methods: OPTIONS is 204 with `Allow` (§9.3.7), anything else 405 with `Allow` naming exactly
 * the methods that work (§15.5.6, SPEC §2). Without this, `POST /openapi.json` would fall
 * through to the resource engine and be told that nothing lives there.
 */
export function completeReadOnlyRoute(app: FastifyInstance, url: string, config: FastifyContextConfig): void {
  const allow = 'GET, HEAD, OPTIONS';
  app.route({
    method: [...OTHER_METHODS],
    url,
    config,
    handler: async (request, reply) => {
      if (request.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
      const error = new ProblemError('method-not-allowed', `${request.method} is not supported on ${url}; it only answers ${allow}.`, { allowed: allow.split(', ') }, { allow });
      return sendProblem(request, reply, error);
    },
  });
}
