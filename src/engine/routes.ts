import { ProblemError } from '../http/problem.js';
import type { ResourceDeclaration } from './types.js';

/** Ids are URL-unreserved characters (RFC 3986 §2.3), 1 to 128 of them (SPEC §1). */
export const ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/** What a request path names. */
export type Route =
  | { kind: 'collection'; resource: ResourceDeclaration }
  | { kind: 'item'; resource: ResourceDeclaration; id: string; validId: boolean }
  | { kind: 'versions'; resource: ResourceDeclaration; id: string }
  | { kind: 'version'; resource: ResourceDeclaration; id: string; version: string }
  | { kind: 'effects'; resource: ResourceDeclaration; id: string };

/**
 * The methods that work on each kind of route, for 405's Allow header (RFC 9110 §15.5.6:
 * "MUST generate an Allow header field … containing a list of the target resource's
 * currently supported methods"). POST is absent on a collection whose ids the client picks.
 */
export function allowedMethods(route: Route): string[] {
  switch (route.kind) {
    case 'collection':
      return route.resource.idPolicy === 'client' ? ['GET', 'HEAD', 'OPTIONS'] : ['GET', 'HEAD', 'POST', 'OPTIONS'];
    case 'item':
      return ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    default:
      return ['GET', 'HEAD', 'OPTIONS'];
  }
}

/** Match a percent-encoded request path against the declared resource types. */
export function matchRoute(path: string, resources: ReadonlyMap<string, ResourceDeclaration>): Route {
  const segments = path.split('/').slice(1).map(decodeSegment);
  const [name, id, sub, version, ...rest] = segments;
  const resource = name === undefined ? undefined : resources.get(name);
  if (!resource || rest.length > 0) throw notFound(path);
  if (id === undefined) return { kind: 'collection', resource };
  if (id === '' && sub === undefined) throw notFound(path, `There is no route ${path}; the collection is /${resource.name} (no trailing slash).`);
  const validId = ID_PATTERN.test(id);
  if (sub === undefined) return { kind: 'item', resource, id, validId };
  if (!validId) throw notFound(path);
  if (sub === 'versions' && version === undefined) return { kind: 'versions', resource, id };
  if (sub === 'versions' && version !== undefined) return { kind: 'version', resource, id, version };
  if (sub === 'effects' && version === undefined) return { kind: 'effects', resource, id };
  throw notFound(path);
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // Broken percent-encoding can never name a resource; keep it so the 404 says what was asked.
    return `\u0000${segment}`;
  }
}

function notFound(path: string, detail?: string): ProblemError {
  return new ProblemError('not-found', detail ?? `Nothing lives at ${path}. Check the collection name and id; GET /openapi.json lists every route.`);
}
