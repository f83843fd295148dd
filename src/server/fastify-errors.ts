import type { FastifyError } from 'fastify';
import { ProblemError } from '../http/problem.js';
import type { ProblemKind } from '../http/problem-types.js';

/**
 * Fastify rejects some requests before the engine sees them (body too large, broken
 * Content-Length, unsupported method). Map those to the same problem kinds the engine uses, so
 * every error on the wire is problem+json (SPEC §8).
 */
export function fastifyErrorToProblem(error: FastifyError, bodyLimit: number): ProblemError {
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    return new ProblemError('payload-too-large', `The request body is larger than the ${bodyLimit}-byte limit. Send a smaller document.`);
  }
  if (status === 415) return new ProblemError('unsupported-media-type', 'Send the body as application/json.');
  if (status === 404) return new ProblemError('not-found', 'Nothing lives at this URL; GET /openapi.json lists every route.');
  if (status === 405) return new ProblemError('method-not-allowed', 'This method is not supported here.');
  if (status >= 400 && status < 500) {
    const kind: ProblemKind = 'invalid-header';
    return new ProblemError(kind, `The request could not be read: ${error.message}. Check its headers and framing.`);
  }
  return new ProblemError('internal', 'The server failed to process the request. Retry later.');
}
