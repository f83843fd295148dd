import { describe, expect, it } from 'vitest';
import { routePatterns } from './route-pattern.js';

const routePattern = routePatterns(['users', 'flights']);

describe('routePattern (metrics labels)', () => {
  it('maps catch-all requests onto the engine route shapes, keeping the collection and hiding ids', () => {
    expect(routePattern('/*', '/users')).toBe('/users');
    expect(routePattern('/*', '/users?limit=5')).toBe('/users');
    expect(routePattern('/*', '/users/0193-abc')).toBe('/users/{id}');
    expect(routePattern('/*', '/users/0193-abc?x=/a/b/c')).toBe('/users/{id}');
    expect(routePattern('/*', '/flights/AC789/versions')).toBe('/flights/{id}/versions');
    expect(routePattern('/*', '/flights/AC789/versions/3')).toBe('/flights/{id}/versions/{n}');
    expect(routePattern('/*', '/flights/AC789/effects')).toBe('/flights/{id}/effects');
  });

  it('collapses unknown paths into one label so random URLs cannot create unbounded series', () => {
    expect(routePattern('/*', '/wp-admin/setup.php')).toBe('unmatched');
    expect(routePattern('/*', '/users/1/2/3/4')).toBe('unmatched');
    expect(routePattern('/*', '/users/1/versions/3/')).toBe('unmatched');
    expect(routePattern('/*', '/users/1/effects/3')).toBe('unmatched');
    expect(routePattern('/*', '/users/1/other')).toBe('unmatched');
    expect(routePattern('/*', '/usersx/1')).toBe('unmatched');
    expect(routePattern('/*', '/')).toBe('unmatched');
    expect(routePattern(undefined, '/anything')).toBe('unmatched');
  });

  it('keeps the pattern of fixed routes', () => {
    expect(routePattern('/healthz', '/healthz')).toBe('/healthz');
    expect(routePattern('/_idem/resources/:type/:id/versions', '/_idem/resources/users/x/versions')).toBe('/_idem/resources/:type/:id/versions');
  });
});
