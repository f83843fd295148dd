import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyContext } from './context.js';
import { errorName, forward } from './forward.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';
import { relay, withUpstreamLength } from './relay.js';
import { sendProblem } from './respond.js';

/**
 * A request the proxy does not guard (a GET, or a POST without a key where none is required):
 * streamed both ways untouched, nothing stored. The timeout applies to the response head only,
 * so long downloads are not cut off.
 */
export async function passThrough(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ctx.options.timeoutMs);
  const result = await forward({
    agent: ctx.agent,
    target: ctx.options.target,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: upstreamRequestHeaders(req.headers, req.socket.remoteAddress, undefined),
    body: req,
    signal: abort.signal,
  });
  clearTimeout(timer);
  if (result.kind === 'response') {
    await relay(result.response, res, withUpstreamLength(clientResponseHeaders(result.response.headers), result.response));
    return;
  }
  const timedOut = abort.signal.aborted;
  sendProblem(
    req,
    res,
    timedOut ? 'gateway-timeout' : 'bad-gateway',
    timedOut
      ? `The upstream did not answer within ${ctx.options.timeoutMs} ms. This request had no Idempotency-Key, so the proxy cannot tell a retry from a new request: send one to retry safely.`
      : result.kind === 'lost'
        ? `The upstream dropped the connection (${errorName(result.error)}) after the request was sent; without an Idempotency-Key the proxy cannot tell whether it took effect.`
        : `The upstream could not be reached (${errorName(result.error)}); nothing was sent.`,
  );
}
