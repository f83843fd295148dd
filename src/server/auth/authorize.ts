import type { Principal, Role } from '../../engine/types.js';

/**
 * What each role may do (SPEC §7). `read` is limited to the safe methods of RFC 9110 §9.2.1,
 * so a reader can never change anything; `write` adds the methods that change resources;
 * `admin` may do everything, including the console's admin data under `/_idem/`.
 */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WRITE_METHODS = new Set([...READ_METHODS, 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The principal every request gets when no keys are configured. */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', roles: Object.freeze({ '*': 'admin' }) as Record<string, Role> });

/** The principal's role on a resource type: its own entry, else the `*` default, else none. */
export function roleFor(principal: Principal, resourceType: string): Role | undefined {
  return Object.hasOwn(principal.roles, resourceType) ? principal.roles[resourceType] : principal.roles['*'];
}

/** Whether `role` may use `method`. */
export function roleAllows(role: Role | undefined, method: string): boolean {
  if (role === 'admin') return true;
  if (role === 'write') return WRITE_METHODS.has(method);
  if (role === 'read') return READ_METHODS.has(method);
  return false;
}

/** The smallest role that allows `method`, for the 403 detail. */
export function roleNeeded(method: string): Role {
  if (READ_METHODS.has(method)) return 'read';
  if (WRITE_METHODS.has(method)) return 'write';
  return 'admin';
}
