import { describe, expect, it } from 'vitest';
import { replayableHeaders, upstreamRequestHeaders } from './headers.js';

describe('headers across the proxy', () => {
  it('hop-by-hop fields and the fields Connection names are not forwarded upstream; Via and X-Forwarded-For are added', () => {
    const out = upstreamRequestHeaders(
      { host: 'api.example', connection: 'keep-alive, x-trace', 'keep-alive': 'timeout=5', 'x-trace': '1', te: 'trailers', 'idempotency-key': '"k"', 'content-type': 'application/json' },
      '10.0.0.1',
      12,
    );
    expect(out).toMatchObject({ 'idempotency-key': '"k"', 'content-type': 'application/json', 'content-length': '12', via: '1.1 idem-proxy', 'x-forwarded-for': '10.0.0.1', 'x-forwarded-host': 'api.example' });
    for (const name of ['connection', 'keep-alive', 'x-trace', 'te', 'host']) expect(out[name]).toBeUndefined();
  });

  it('replayed headers leave out Date, Set-Cookie, rate-limit fields and hop-by-hop fields', () => {
    const stored = replayableHeaders({
      'content-type': 'application/json',
      location: '/o/1',
      etag: '"a"',
      date: 'Mon, 01 Jan 2001 00:00:00 GMT',
      'set-cookie': ['a=1', 'b=2'],
      'ratelimit-remaining': '3',
      'x-ratelimit-limit': '10',
      'retry-after': '5',
      'transfer-encoding': 'chunked',
      'content-length': '10',
      vary: 'accept',
    });
    expect(stored).toEqual({ 'content-type': 'application/json', location: '/o/1', etag: '"a"', vary: 'accept' });
  });
});
