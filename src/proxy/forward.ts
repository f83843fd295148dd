import { request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * What became of a request sent upstream, up to the response head. The distinction between
 * `not-sent` and `lost` is what decides whether a retry is safe (docs/PROXY.md, "Outcomes").
 */
export type ForwardResult =
  /** The upstream answered; its body is still to be read. */
  | { kind: 'response'; response: IncomingMessage }
  /** Failed before a connection existed (refused, DNS, connect timeout): the upstream saw nothing. */
  | { kind: 'not-sent'; error: Error }
  /** Failed after the connection was up (timeout, reset): the upstream may have acted on it. */
  | { kind: 'lost'; error: Error };

/** One request to the upstream. */
export interface ForwardRequest {
  agent: Agent;
  target: URL;
  method: string;
  /** The client's request target (path and query), appended to the target's base path. */
  url: string;
  headers: OutgoingHttpHeaders;
  /** A whole body (guarded requests) or a stream (pass-through). */
  body: Buffer | Readable;
  signal: AbortSignal;
}

/**
 * `http://up/api` + `/orders?x=1` → `/api/orders?x=1`. A request target in absolute form
 * (RFC 9112 §3.2.2, sent by clients configured to use a forward proxy) keeps its path and query.
 */
export function upstreamPath(target: URL, url: string): string {
  const base = target.pathname.replace(/\/+$/, '');
  let path = url;
  if (!url.startsWith('/')) {
    try {
      const absolute = new URL(url);
      path = `${absolute.pathname}${absolute.search}`;
    } catch {
      path = `/${url}`;
    }
  }
  return `${base}${path}`;
}

/** Send the request; resolves once the response head arrives or the exchange fails. */
export function forward(r: ForwardRequest): Promise<ForwardResult> {
  return new Promise((resolve) => {
    // Set once a socket is connected: from then on the upstream may have read the request.
    // A reused keep-alive socket counts as connected, so a reset on it is "lost", never "not sent".
    let connected = false;
    const req = httpRequest({
      protocol: r.target.protocol,
      hostname: r.target.hostname,
      port: r.target.port,
      method: r.method,
      path: upstreamPath(r.target, r.url),
      headers: r.headers,
      agent: r.agent,
      signal: r.signal,
    });
    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (connected = true));
      else connected = true;
    });
    req.on('response', (response) => resolve({ kind: 'response', response }));
    req.on('error', (error) => resolve(connected ? { kind: 'lost', error } : { kind: 'not-sent', error }));
    if (Buffer.isBuffer(r.body)) req.end(r.body);
    else r.body.pipe(req);
  });
}

/** A short, log- and problem-friendly name for a network error. */
export function errorName(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? error.name;
}
