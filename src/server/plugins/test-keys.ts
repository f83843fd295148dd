/**
 * API keys for the plugin tests: one per role, plus a key with roles per resource type.
 * Test-only; the secrets are long enough to pass the configuration check.
 */
export const SECRETS = {
  alice: 'alice-secret-0123456789',
  bob: 'bob-secret-0123456789ab',
  reader: 'reader-secret-0123456789',
  admin: 'admin-secret-0123456789',
  clerk: 'clerk-secret-0123456789',
} as const;

export const API_KEYS = [
  `alice:${SECRETS.alice}:write`,
  `bob:${SECRETS.bob}:write`,
  `reader:${SECRETS.reader}:read`,
  `admin:${SECRETS.admin}:admin`,
  `clerk:${SECRETS.clerk}:*=read;tickets=write`,
].join(',');

/** Headers that authenticate as `who`, plus any others. */
export function as(who: keyof typeof SECRETS, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${SECRETS[who]}`, ...headers };
}

export const JSON_BODY = { 'content-type': 'application/json' };
