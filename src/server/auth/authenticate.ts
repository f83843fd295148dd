import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../engine/types.js';
import { hashSecret, type ApiKey } from './api-keys.js';

/** The result of reading the Authorization header. */
export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' };

/**
 * Build the function that turns an Authorization header into a principal.
 *
 * RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme name is case-insensitive
 * (RFC 9110 §11.1). The presented secret and every configured secret are hashed with SHA-256
 * and compared with `timingSafeEqual`, and every key is compared even after a match, so the
 * response time says nothing about how much of a secret was right or which key matched.
 */
export function createAuthenticator(keys: readonly ApiKey[]): (authorization: string | string[] | undefined) => Authentication {
  return (authorization) => {
    if (authorization === undefined || authorization === '') return { ok: false, reason: 'missing' };
    if (Array.isArray(authorization)) return { ok: false, reason: 'malformed' };
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'malformed' };
    const presented = hashSecret(match[1] as string);
    let found: ApiKey | undefined;
    for (const key of keys) {
      if (timingSafeEqual(presented, key.secretHash) && found === undefined) found = key;
    }
    if (found === undefined) return { ok: false, reason: 'unknown' };
    return { ok: true, principal: { id: found.name, roles: { ...found.roles } } };
  };
}
