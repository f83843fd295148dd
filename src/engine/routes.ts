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
export function allowedMethods(route: Route): readonly string[] {
  switch (route.kind) {
    case 'collection':
      return route.resource.idPolicy === 'client' ? READ_ONLY : COLLECTION;
    case 'item':
      return ITEM;
    default:
      return READ_ONLY;
  }
}
const READ_ONLY: readonly string[] = Object.freeze(['GET', 'HEAD', 'OPTIONS']);
const COLLECTION: readonly string[] = Object.freeze(['GET', 'HEAD', 'POST', 'OPTIONS']);
const ITEM: readonly string[] = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Match a percent-encoded request path against the declared resource types. */
export function matchRoute(path: string, resources: ReadonlyMap<string, ResourceDeclaration>): Route {
  // /name[/id[/sub[/version]]], read by index (every request comes here, and split() would
  // build an array to throw away); a fifth segment is a path no route has.
  const s1 = path.indexOf('/');
  const s2 = s1 === -1 ? -1 : path.indexOf('/', s1 + 1);
  const s3 = s2 === -1 ? -1 : path.indexOf('/', s2 + 1);
  const s4 = s3 === -1 ? -1 : path.indexOf('/', s3 + 1);
  const s5 = s4 === -1 ? -1 : path.indexOf('/', s4 + 1);
  const name = segment(path, s1, s2);
  const id = segment(path, s2, s3);
  const sub = segment(path, s3, s4);
  const version = segment(path, s4, s5);
  const resource = name === undefined ? undefined : resources.get(name);
  if (!resource || s5 !== -1) throw notFound(path);
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

/** The decoded segment after the `/` at `slash`, up to the next one at `next`; undefined when there is none. */
function segment(path: string, slash: number, next: number): string | undefined {
  if (slash === -1) return undefined;
  return decodeSegment(path.slice(slash + 1, next === -1 ? path.length : next));
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
