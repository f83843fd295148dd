import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestFingerprint } from '../idempotency/fingerprint.js';
import { parseIdempotencyKey } from '../idempotency/key.js';
import { claimKey } from './claim.js';
import type { ProxyContext } from './context.js';
import { forwardClaimed } from './exchange.js';
import { principalOf } from './principal.js';
import { readBody } from './read-body.js';
import { sendProblem, sendReplay } from './respond.js';

/**
 * A guarded request that carries an Idempotency-Key: parse the key, read the body, claim
 * (principal, key), then either answer from the record or go upstream (SPEC §4, as the server does).
 */
export async function handleGuarded(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, keyHeader: string | string[]): Promise<void> {
  const { options } = ctx;
  const parsed = parseIdempotencyKey(keyHeader);
  if (!parsed.ok) {
    req.resume();
    return sendProblem(req, res, 'idempotency-key-invalid', parsed.reason);
  }
  const key = parsed.key;
  const read = await readBody(req, options.bodyLimit);
  if (!read.ok) {
    if (read.reason === 'aborted') return void res.destroy();
    return sendProblem(
      req,
      res,
      'payload-too-large',
      `The request body is larger than the proxy's limit of ${options.bodyLimit} bytes for requests with an Idempotency-Key; send a smaller body, or start the proxy with a larger --body-limit.`,
      { limit: options.bodyLimit },
      // The rest of the body is not read, so this connection cannot carry another request.
      { connection: 'close' },
    );
  }
  const method = (req.method ?? 'POST').toUpperCase();
  const claim = await claimKey(ctx.store, {
    principal: principalOf(req.headers.authorization),
    key,
    // Method + request target (path and query) + canonical body, the server's fingerprint.
    fingerprint: requestFingerprint(method, req.url ?? '/', read.body),
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    releaseUnknownAfterMs: options.releaseUnknownAfterMs,
  });
  const retention = { retentionSeconds: Math.round(options.retentionMs / 1000) };
  switch (claim.kind) {
    case 'claimed':
      return forwardClaimed(ctx, req, res, claim.record, read.body);
    case 'replay':
      if (claim.record.response) return sendReplay(res, claim.record.response, method);
      return sendProblem(req, res, 'idempotency-outcome-unknown', `The record of Idempotency-Key ${JSON.stringify(key)} has no stored response; an operator should run "idem proxy resolve".`, { outcome: 'unknown', idempotencyKey: key });
    case 'reused':
      return sendProblem(
        req,
        res,
        'idempotency-key-reused',
        `Idempotency-Key ${JSON.stringify(key)} was first used with a different request (method, path, query or body); send a new key for a new request, or resend exactly the original request.`,
        { idempotencyKey: key, ...retention },
      );
    case 'in-flight':
      return sendProblem(
        req,
        res,
        'idempotency-in-flight',
        `A request with Idempotency-Key ${JSON.stringify(key)} is still being processed; retry after the Retry-After delay to get its response.`,
        { idempotencyKey: key },
        // RFC 9110 §10.2.3. One second: the request may finish at any moment.
        { 'retry-after': '1' },
      );
    case 'unknown':
      return sendProblem(
        req,
        res,
        'idempotency-outcome-unknown',
        `The request with Idempotency-Key ${JSON.stringify(key)} was sent upstream but its answer was lost, so whether it took effect is unknown; it will not be sent again. Check the upstream, then have an operator run "idem proxy resolve ${key} --replay-status <status>" or "--release".`,
        { outcome: 'unknown', idempotencyKey: key, since: new Date(claim.record.createdAt).toISOString() },
      );
  }
}
