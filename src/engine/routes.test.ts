import { describe, expect, it } from 'vitest';
import { ProblemError } from '../http/problem.js';
import { matchRoute } from './routes.js';
import type { ResourceDeclaration } from './types.js';

const users: ResourceDeclaration = { name: 'users', schema: { type: 'object' } };
const resources = new Map([['users', users]]);

/** The route without its resource, or the problem kind it throws. */
function match(path: string): unknown {
  try {
    const { resource, ...route } = matchRoute(path, resources);
    expect(resource).toBe(users);
    return route;
  } catch (error) {
    if (error instanceof ProblemError) return error.kind;
    throw error;
  }
}

describe('matchRoute: what a path names (SPEC §2)', () => {
  it('names the collection, an item, its versions, one version and its effects', () => {
    expect(match('/users')).toEqual({ kind: 'collection' });
    expect(match('/users/u1')).toEqual({ kind: 'item', id: 'u1', validId: true });
    expect(match('/users/u1/versions')).toEqual({ kind: 'versions', id: 'u1' });
    expect(match('/users/u1/versions/3')).toEqual({ kind: 'version', id: 'u1', version: '3' });
    expect(match('/users/u1/effects')).toEqual({ kind: 'effects', id: 'u1' });
  });

  it('decodes percent-encoded segments, and marks ids outside the id alphabet', () => {
    expect(match('/us%65rs/a%2Eb')).toEqual({ kind: 'item', id: 'a.b', validId: true });
    expect(match('/users/a%20b')).toEqual({ kind: 'item', id: 'a b', validId: false });
    expect(match('/users/%E0%A4%A')).toMatchObject({ kind: 'item', validId: false });
  });

  it('is 404 for everything else', () => {
    for (const path of ['/', '', 'users', '/nope', '/nope/1', '/users/', '/users/u1/other', '/users/u1/effects/2', '/users/u1/versions/3/x', '/users/a%20b/versions', '/users/u1/versions/3/x/y']) {
      expect(match(path), path).toBe('not-found');
    }
  });
});
