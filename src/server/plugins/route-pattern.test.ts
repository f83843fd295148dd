import { describe, expect, it } from 'vitest';
import { routePattern } from './route-pattern.js';

const collections = new Set(['users', 'flights']);

describe('routePattern (metrics labels)', () => {
  it('maps catch-all requests onto the engine route shapes, keeping the collection and hiding ids', () => {
    expect(routePattern('/*', '/users', collections)).toBe('/users');
    expect(routePattern('/*', '/users?limit=5', collections)).toBe('/users');
    expect(routePattern('/*', '/users/0193-abc', collections)).toBe('/users/{id}');
    expect(routePattern('/*', '/flights/AC789/versions', collections)).toBe('/flights/{id}/versions');
    expect(routePattern('/*', '/flights/AC789/versions/3', collections)).toBe('/flights/{id}/versions/{n}');
    expect(routePattern('/*', '/flights/AC789/effects', collections)).toBe('/flights/{id}/effects');
  });

  it('collapses unknown paths into one label so random URLs cannot create unbounded series', () => {
    expect(routePattern('/*', '/wp-admin/setup.php', collections)).toBe('unmatched');
    expect(routePattern('/*', '/users/1/2/3/4', collections)).toBe('unmatched');
    expect(routePattern(undefined, '/anything', collections)).toBe('unmatched');
  });

  it('keeps the pattern of fixed routes', () => {
    expect(routePattern('/healthz', '/healthz', collections)).toBe('/healthz');
    expect(routePattern('/_idem/resources/:type/:id/versions', '/_idem/resources/users/x/versions', collections)).toBe('/_idem/resources/:type/:id/versions');
  });
});
