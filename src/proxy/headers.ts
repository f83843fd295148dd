import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Which header fields cross the proxy, and which are stored for replay.
 *
 * RFC 9110 §7.6.1: hop-by-hop fields (Connection and the fields it names, Proxy-Connection,
 * Keep-Alive, TE, Transfer-Encoding, Upgrade) describe one connection and must not be
 * forwarded. Content-Length is recomputed because the proxy re-frames every body it sends.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'content-length',
  'host',
]);

/**
 * Not replayed (SPEC §4): Date describes the original response's moment (RFC 9110 §6.6.1),
 * Set-Cookie would hand a session minted for one response to whoever retries, and rate-limit
 * fields and Retry-After describe the quota at a moment that has passed.
 */
const NOT_REPLAYED = /^(date|set-cookie|retry-after|ratelimit(-.*)?|x-ratelimit-.*|x-rate-limit-.*)$/;

/** Field names listed in Connection are hop-by-hop for this message too (RFC 9110 §7.6.1). */
function connectionNamed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const names = new Set<string>();
  if (typeof value === 'string') for (const n of value.split(',')) names.add(n.trim().toLowerCase());
  return names;
}

function endToEnd(headers: IncomingHttpHeaders): Array<[string, string | string[]]> {
  const named = connectionNamed(headers);
  const out: Array<[string, string | string[]]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push([name, value]);
  }
  return out;
}

/** Request headers sent upstream: end-to-end fields plus Via and X-Forwarded-* (RFC 9110 §7.6.3). */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, clientAddress: string | undefined, bodyLength: number | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = Object.fromEntries(endToEnd(headers));
  const via = headers.via;
  out.via = via ? `${via}, 1.1 idem-proxy` : '1.1 idem-proxy';
  if (clientAddress) {
    const xff = headers['x-forwarded-for'];
    out['x-forwarded-for'] = xff ? `${String(xff)}, ${clientAddress}` : clientAddress;
  }
  if (headers.host && !out['x-forwarded-host']) out['x-forwarded-host'] = headers.host;
  if (bodyLength !== undefined) out['content-length'] = String(bodyLength);
  else if (headers['content-length'] !== undefined) out['content-length'] = headers['content-length'];
  else if (headers['transfer-encoding'] !== undefined) out['transfer-encoding'] = 'chunked';
  return out;
}

/** Response headers passed to the client on a live (not replayed) answer. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(endToEnd(headers));
}

/** The end-to-end response headers worth replaying, one string per field (multi-valued fields joined with ", "). */
export function replayableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of endToEnd(headers)) {
    if (NOT_REPLAYED.test(name) || name.startsWith(INTERNAL_PREFIX)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Stored headers starting with this prefix are the proxy's own bookkeeping (body encoding,
 * body not stored); they are never sent to a client.
 */
export const INTERNAL_PREFIX = 'x-idem-proxy-';
