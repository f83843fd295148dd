import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_MEDIA_TYPE, type ProblemError } from '../../http/problem.js';

/**
 * Answer a request with a problem (RFC 9457 §3) from inside a hook, without going through
 * an error handler: the access, rate-limit and admin plugins stop requests before any route
 * runs, and their answers must be application/problem+json whatever handler the app has.
 * `instance` is the request path, so the problem names what was asked (§3.1.5), and
 * `requestId` matches the log line, as in the engine's own problems.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
  const instance = error.problem.instance ?? request.url.split('?')[0];
  return reply
    .code(error.status)
    .headers(error.headers)
    .header('content-type', PROBLEM_MEDIA_TYPE)
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ ...error.problem, instance, requestId: request.id }));
}
