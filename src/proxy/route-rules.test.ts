import { describe, expect, it } from 'vitest';
import { DEFAULT_GUARD_RULES, matchesAny, parseRouteRule } from './route-rules.js';

describe('route rules', () => {
  const defaults = DEFAULT_GUARD_RULES.map(parseRouteRule);

  it('guard POST and PATCH on every path by default, and nothing else', () => {
    expect(matchesAny(defaults, 'POST', '/orders')).toBe(true);
    expect(matchesAny(defaults, 'patch', '/orders/1')).toBe(true);
    expect(matchesAny(defaults, 'PUT', '/orders/1')).toBe(false);
    expect(matchesAny(defaults, 'GET', '/orders')).toBe(false);
    expect(matchesAny(defaults, 'DELETE', '/orders/1')).toBe(false);
  });

  it('* matches one segment, ** the rest of the path including nothing', () => {
    const one = [parseRouteRule('PUT /orders/*')];
    expect(matchesAny(one, 'PUT', '/orders/7')).toBe(true);
    expect(matchesAny(one, 'PUT', '/orders/7/items')).toBe(false);
    const rest = [parseRouteRule('* /payments/**')];
    expect(matchesAny(rest, 'DELETE', '/payments')).toBe(true);
    expect(matchesAny(rest, 'POST', '/payments/a/b')).toBe(true);
    expect(matchesAny(rest, 'POST', '/paymentsX')).toBe(false);
  });

  it('regex characters in a pattern are literal', () => {
    const rule = [parseRouteRule('POST /v1.0/(x)')];
    expect(matchesAny(rule, 'POST', '/v1.0/(x)')).toBe(true);
    expect(matchesAny(rule, 'POST', '/v1x0/(x)')).toBe(false);
  });

  it('a malformed rule is refused with an example of a good one', () => {
    expect(() => parseRouteRule('/orders')).toThrow(/METHOD \/path-pattern/);
    expect(() => parseRouteRule('POST orders')).toThrow(/for example "POST \/orders\/\*\*"/);
  });
});
