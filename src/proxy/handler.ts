import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyContext } from './context.js';
import { handleGuarded } from './guarded.js';
import { passThrough } from './pass-through.js';
import { sendProblem } from './respond.js';
import { matchesAny } from './route-rules.js';

/**
 * Route one client request: guarded with a key → the idempotency path; guarded route that
 * requires a key but has none → 400; everything else passes through untouched.
 */
export function handleRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): void {
  // A client that disconnects mid-answer must not crash the proxy.
  res.on('error', () => {});
  req.on('error', () => {});
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const key = req.headers['idempotency-key'];
  let work: Promise<void>;
  if (!matchesAny(ctx.options.guard, method, path)) {
    work = passThrough(ctx, req, res);
  } else if (key !== undefined) {
    work = handleGuarded(ctx, req, res, key);
  } else if (matchesAny(ctx.options.requireKey, method, path)) {
    req.resume();
    sendProblem(
      req,
      res,
      'idempotency-key-required',
      `${method} ${path} must carry an Idempotency-Key header so it can be retried safely: send a new unique value (for example a UUIDv7, which is time-ordered) per request, and the same value on every retry of it.`,
    );
    return;
  } else {
    work = passThrough(ctx, req, res);
  }
  work.catch((error: unknown) => {
    ctx.options.log(`idem proxy: ${method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
    // The store failed before anything was decided: nothing went upstream on this path unless
    // the claim was written, and a written claim turns `unknown` when its lease lapses.
    sendProblem(req, res, 'service-unavailable', 'The proxy could not reach its key store; retry later with the same Idempotency-Key.', {}, { 'retry-after': '1' });
  });
}
