import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { IdempotencyRecord, StoredResponse } from '../store/store.js';
import { finishKey, markUnknown, releaseKey } from './claim.js';
import { collect } from './collect.js';
import type { ProxyContext } from './context.js';
import { errorName, forward } from './forward.js';
import { clientResponseHeaders, replayableHeaders, upstreamRequestHeaders } from './headers.js';
import { classifyUpstreamStatus } from './outcome-policy.js';
import { relay, withUpstreamLength } from './relay.js';
import { sendProblem } from './respond.js';
import { BODY_OMITTED_HEADER, bodyNotStoredWarning, encodeStoredBody, WARNING_HEADER } from './stored-body.js';

/**
 * Send a claimed request upstream and settle its key from what happens (docs/PROXY.md, "Outcomes"):
 * definitive answer → stored, then sent; provisional answer or nothing sent → key released;
 * answer lost after sending → key `unknown`, client gets 504.
 */
export async function forwardClaimed(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, claimed: IdempotencyRecord, body: Buffer): Promise<void> {
  const { options } = ctx;
  const abort = new AbortController();
  // One deadline for the whole exchange, head and body: the lease must cover all of it.
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const result = await forward({
      agent: ctx.agent,
      target: options.target,
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: upstreamRequestHeaders(req.headers, req.socket.remoteAddress, body.length),
      body,
      signal: abort.signal,
    });
    if (result.kind === 'not-sent') {
      await releaseKey(ctx.store, claimed);
      const timedOut = abort.signal.aborted;
      sendProblem(
        req,
        res,
        timedOut ? 'gateway-timeout' : 'bad-gateway',
        `${timedOut ? `The upstream did not accept a connection within ${options.timeoutMs} ms` : `The upstream could not be reached (${errorName(result.error)})`}; nothing was sent, so retrying with the same Idempotency-Key is safe.`,
        { outcome: 'not-sent', idempotencyKey: claimed.key },
      );
      return;
    }
    if (result.kind === 'lost') {
      const why = abort.signal.aborted ? `did not answer within ${options.timeoutMs} ms` : `dropped the connection (${errorName(result.error)})`;
      return await lost(ctx, req, res, claimed, `The upstream ${why} after the request was sent`, undefined);
    }
    const upstream = result.response;
    const status = upstream.statusCode ?? 502;
    if (classifyUpstreamStatus(status) === 'provisional') {
      // The upstream says it did not do it: free the key first, so the retry the client is
      // about to send goes upstream again instead of hitting a 409.
      await releaseKey(ctx.store, claimed);
      await relay(upstream, res, withUpstreamLength(clientResponseHeaders(upstream.headers), upstream));
      return;
    }
    await definitive(ctx, req, res, claimed, upstream, status);
  } finally {
    clearTimeout(timer);
  }
}

async function definitive(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, claimed: IdempotencyRecord, upstream: IncomingMessage, status: number): Promise<void> {
  const cap = ctx.options.storeCap;
  const collected = await collect(upstream, cap);
  if (collected.kind === 'broken') {
    return lost(ctx, req, res, claimed, `The upstream answered ${status} but its body was cut off before it was complete`, status);
  }
  const stored: StoredResponse = { status, headers: replayableHeaders(upstream.headers), body: '' };
  const live: OutgoingHttpHeaders = clientResponseHeaders(upstream.headers);
  if (collected.kind === 'complete') {
    stored.body = encodeStoredBody(collected.body, stored.headers);
    await save(ctx, claimed, stored);
    if (status !== 204 && status !== 304) live['content-length'] = req.method === 'HEAD' ? (upstream.headers['content-length'] ?? '0') : String(collected.body.length);
    res.writeHead(status, live);
    res.end(collected.body);
    return;
  }
  // Too large to store: keep status and headers so the request still never runs twice, say so.
  stored.headers[BODY_OMITTED_HEADER] = String(cap);
  await save(ctx, claimed, stored);
  live[WARNING_HEADER] = bodyNotStoredWarning(cap);
  await relay(upstream, res, withUpstreamLength(live, upstream), collected.head);
}

/** Store the answer before the client sees it, so a retry arriving right after gets the replay. */
async function save(ctx: ProxyContext, claimed: IdempotencyRecord, stored: StoredResponse): Promise<void> {
  try {
    await finishKey(ctx.store, claimed, stored);
  } catch (error) {
    // The client still gets the real answer. The claim stays `running`, its lease lapses and
    // it turns `unknown`: a retry is refused rather than run twice.
    ctx.options.log(`idem proxy: could not store the answer for key ${JSON.stringify(claimed.key)}: ${(error as Error).message}`);
  }
}

async function lost(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, claimed: IdempotencyRecord, what: string, upstreamStatus: number | undefined): Promise<void> {
  await markUnknown(ctx.store, claimed);
  ctx.options.log(`idem proxy: outcome unknown for key ${JSON.stringify(claimed.key)} (${req.method} ${req.url}): ${what}.`);
  sendProblem(
    req,
    res,
    'gateway-timeout',
    `${what}, so whether it took effect is unknown. Retrying with the same Idempotency-Key answers 409 until an operator checks the upstream and runs "idem proxy resolve".`,
    { outcome: 'unknown', idempotencyKey: claimed.key, ...(upstreamStatus === undefined ? {} : { upstreamStatus }) },
  );
}
