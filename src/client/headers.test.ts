import { describe, expect, it } from 'vitest';
import { generateIdempotencyKey, isValidIdempotencyKey, parseIdempotencyKeyHeader, serializeIdempotencyKey } from './idempotency-key.js';
import { findLink } from './link-header.js';
import { resolveUrl } from './url.js';

describe('Idempotency-Key values', () => {
  it('are sent as sf-strings (RFC 8941 §4.1.6), escaping " and \\', () => {
    expect(serializeIdempotencyKey('abc')).toBe('"abc"');
    expect(serializeIdempotencyKey('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(parseIdempotencyKeyHeader(serializeIdempotencyKey('a"b\\c'))).toBe('a"b\\c');
    expect(parseIdempotencyKeyHeader('token-form')).toBe('token-form');
  });

  it('generated keys are distinct UUIDv7s (RFC 9562 §5.7) carrying their creation time', () => {
    const at = Date.UTC(2026, 10, 28, 7, 45, 12, 345);
    const a = generateIdempotencyKey(at);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(generateIdempotencyKey(at)).not.toBe(a);
  });

  it('generated keys sort in the order they were made, across milliseconds', () => {
    // Why v7: the server's key index then grows at one end (idempotency-key.ts).
    const times = [0, 1, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, Date.UTC(2026, 0, 1), 2 ** 48 - 1];
    const keys = times.map((t) => generateIdempotencyKey(t));
    expect([...keys].sort()).toEqual(keys);
    for (const [i, t] of times.entries()) expect(parseInt((keys[i] as string).replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });

  it('must be 1–255 visible ASCII characters', () => {
    expect(isValidIdempotencyKey('k')).toBe(true);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('x'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('clé')).toBe(false);
  });
});

describe('Link header (RFC 8288)', () => {
  it('finds rel="next" among several links and resolves it against the request URL', () => {
    const header = '</users?cursor=a>; rel="prev", </users?cursor=b&limit=2>; rel="next"';
    expect(findLink(header, 'next', 'http://h:1/api/users?limit=2')).toBe('http://h:1/users?cursor=b&limit=2');
  });

  it('reads unquoted and multi-valued rel, and returns undefined when there is none', () => {
    expect(findLink('<https://x/p2>; rel=next', 'next', 'http://h/')).toBe('https://x/p2');
    expect(findLink('<p2>; title="a, b"; rel="last next"', 'next', 'http://h/c/')).toBe('http://h/c/p2');
    expect(findLink('<p2>; rel="prev"', 'next', 'http://h/')).toBeUndefined();
    expect(findLink(null, 'next', 'http://h/')).toBeUndefined();
  });
});

describe('URL resolution', () => {
  it('appends paths to the base path, keeps absolute URLs, and adds the query', () => {
    expect(resolveUrl('http://h:1/api/', '/users/1')).toBe('http://h:1/api/users/1');
    expect(resolveUrl('http://h:1/api', 'users', { limit: 2, q: undefined })).toBe('http://h:1/api/users?limit=2');
    expect(resolveUrl('http://h:1/api', 'http://other/x?y=1', new URLSearchParams({ z: '2' }))).toBe('http://other/x?y=1&z=2');
  });
});
