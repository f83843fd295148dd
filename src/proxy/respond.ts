import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { problem, PROBLEM_MEDIA_TYPE, type ProblemExtensions } from '../http/problem.js';
import type { ProblemKind } from '../http/problem-types.js';
import type { StoredResponse } from '../store/store.js';
import { INTERNAL_PREFIX } from './headers.js';
import { BODY_OMITTED_HEADER, bodyNotStoredWarning, decodeStoredBody, WARNING_HEADER } from './stored-body.js';

/** Answer with an RFC 9457 problem the proxy itself produced. */
export function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  kind: ProblemKind,
  detail: string,
  extensions: ProblemExtensions = {},
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) {
    // Too late for a status: cutting the connection is the only way to say the body is incomplete.
    res.destroy();
    return;
  }
  const details = problem(kind, detail, { instance: req.url ?? '/', ...extensions });
  const body = Buffer.from(JSON.stringify(details));
  res.writeHead(details.status, {
    ...headers,
    'content-type': PROBLEM_MEDIA_TYPE,
    'content-length': String(body.length),
  });
  res.end(body);
}

/**
 * Replay a stored response (SPEC §4): same status, end-to-end headers and body bytes, plus
 * `Idempotent-Replayed: true` so the client can tell it got a stored answer.
 */
export function sendReplay(res: ServerResponse, stored: StoredResponse, method: string): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(stored.headers)) {
    if (!name.startsWith(INTERNAL_PREFIX)) headers[name] = value;
  }
  const omitted = stored.headers[BODY_OMITTED_HEADER];
  if (omitted !== undefined) headers[WARNING_HEADER] = bodyNotStoredWarning(Number(omitted));
  const body = decodeStoredBody(stored);
  headers['idempotent-replayed'] = 'true';
  // 204 and 304 never carry a body or a Content-Length of one (RFC 9110 §8.6).
  const bodyless = stored.status === 204 || stored.status === 304 || (stored.status >= 100 && stored.status < 200);
  if (!bodyless) headers['content-length'] = String(body.length);
  res.writeHead(stored.status, headers);
  res.end(bodyless || method === 'HEAD' ? undefined : body);
}
