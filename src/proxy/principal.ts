import { createHash } from 'node:crypto';

/**
 * The principal that scopes an idempotency key (SPEC §4: scope is (principal, key)).
 *
 * The proxy does not know the upstream's users, but the Authorization header identifies the
 * caller to the upstream, so it identifies the caller here too. Only a SHA-256 hash of it is
 * kept: the store must never hold a usable credential. Two callers with different credentials
 * can therefore use the same key without ever seeing each other's stored response.
 */
export function principalOf(authorization: string | string[] | undefined): string {
  const value = Array.isArray(authorization) ? authorization.join(', ') : authorization;
  if (value === undefined || value.trim() === '') return 'anonymous';
  return `authorization:sha256:${createHash('sha256').update(value.trim()).digest('base64url')}`;
}
