import { describe, expect, it } from 'vitest';
import { resolveProxyOptions } from './options.js';

describe('proxy options', () => {
  it('defaults: POST and PATCH guarded, 30 s timeout, lease longer than the timeout, 24 h retention, 1 MiB limits', () => {
    const o = resolveProxyOptions({ target: 'http://127.0.0.1:8080' });
    expect(o.guard.map((r) => `${r.method} ${r.pattern}`)).toEqual(['POST /**', 'PATCH /**']);
    expect(o.timeoutMs).toBe(30_000);
    expect(o.leaseMs).toBeGreaterThan(o.timeoutMs);
    expect(o.retentionMs).toBe(86_400_000);
    expect(o.bodyLimit).toBe(1_048_576);
    expect(o.storeCap).toBe(1_048_576);
    expect(o.releaseUnknownAfterMs).toBeUndefined();
  });

  it('routes that require a key are guarded too', () => {
    const o = resolveProxyOptions({ target: 'http://127.0.0.1:8080', guard: ['POST /orders'], requireKey: ['PUT /payments/*'] });
    expect(o.guard.map((r) => `${r.method} ${r.pattern}`)).toEqual(['POST /orders', 'PUT /payments/*']);
  });

  it('refuses a lease that could lapse while a request is still upstream', () => {
    expect(() => resolveProxyOptions({ target: 'http://127.0.0.1:8080', timeoutMs: 5000, leaseMs: 5000 })).toThrow(/--lease \(5000 ms\) must be longer than --timeout/);
  });

  it('refuses a retention under 1 s, which would let a retry run again', () => {
    expect(() => resolveProxyOptions({ target: 'http://127.0.0.1:8080', retentionMs: 0 })).toThrow(/--retention must be at least 1s \(got 0 ms\): a retry after the key is gone runs the request again/);
    expect(resolveProxyOptions({ target: 'http://127.0.0.1:8080', retentionMs: 1000 }).retentionMs).toBe(1000);
  });

  it('refuses a target that is not an http URL, and a bad port, saying what to write', () => {
    expect(() => resolveProxyOptions({ target: 'localhost:8080' })).toThrow(/http:\/\/ URL|not a URL/);
    expect(() => resolveProxyOptions({ target: 'https://api.example' })).toThrow(/must be an http:\/\/ URL/);
    expect(() => resolveProxyOptions({ target: 'http://127.0.0.1:8080', port: Number('x') })).toThrow(/--port must be a whole number/);
  });
});
