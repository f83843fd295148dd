import { describe, expect, it } from 'vitest';
import { upstreamPath } from './forward.js';

describe('upstream request target', () => {
  it('appends the client path and query to the target base path', () => {
    expect(upstreamPath(new URL('http://up:8080'), '/orders?x=1')).toBe('/orders?x=1');
    expect(upstreamPath(new URL('http://up:8080/api/'), '/orders/7')).toBe('/api/orders/7');
  });

  it('takes path and query from an absolute-form request target', () => {
    expect(upstreamPath(new URL('http://up:8080/api'), 'http://proxy.example/orders?a=b')).toBe('/api/orders?a=b');
  });
});
