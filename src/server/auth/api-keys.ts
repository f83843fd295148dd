import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Role } from '../../engine/types.js';

/**
 * API keys (SPEC §7). A key is written `name:secret:roles`, where `roles` is one role for every
 * resource type (`read`, `write`, `admin`) or a `;`-separated list of `type=role` pairs with `*`
 * as the default, e.g. `ops:3f9c…:*=read;orders=write`. Keys come from `IDEM_API_KEYS`
 * (comma-separated) or a keys file (one key per line, `#` starts a comment).
 *
 * Only a SHA-256 hash of each secret is kept in memory: lookups hash the presented secret and
 * compare hashes in constant time (see authenticate.ts), and a heap dump shows no secrets.
 */

/** One configured key. The key name becomes the principal id. */
export interface ApiKey {
  name: string;
  /** SHA-256 of the secret. */
  secretHash: Buffer;
  /** Role per resource type name; `*` is the default. */
  roles: Record<string, Role>;
}

/** Shortest secret accepted: anything shorter can be guessed. */
export const MIN_SECRET_LENGTH = 16;

const ROLES: readonly Role[] = ['read', 'write', 'admin'];
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const FORMAT_HINT = 'Write each key as name:secret:role, for example "alice:8f2b6c0e9d1a4f37b5e2:write" (roles: read, write, admin, or type=role pairs such as "*=read;orders=write").';

/** A configuration error in the keys: the server must not start. The message never contains a secret. */
export class ApiKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyConfigError';
  }
}

/** SHA-256 of a secret, as stored and as compared. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Parse a role spec: `write`, or `*=read;orders=write`. */
export function parseRoles(spec: string, where: string): Record<string, Role> {
  const trimmed = spec.trim();
  if (isRole(trimmed)) return { '*': trimmed };
  const roles: Record<string, Role> = {};
  for (const pair of trimmed.split(';')) {
    const [type, role, ...extra] = pair.split('=').map((s) => s.trim());
    if (type === undefined || !/^(\*|[A-Za-z0-9._~-]+)$/.test(type) || type === '__proto__' || role === undefined || extra.length > 0 || !isRole(role)) {
      throw new ApiKeyConfigError(`${where}: role "${spec}" is not valid. Use read, write or admin, or type=role pairs separated by ";" such as "*=read;orders=write".`);
    }
    roles[type] = role;
  }
  return roles;
}

/** Parse one `name:secret:roles` entry. `where` names its source for the error message. */
export function parseApiKey(entry: string, where: string): ApiKey {
  const first = entry.indexOf(':');
  const last = entry.lastIndexOf(':');
  if (first <= 0 || last === first) throw new ApiKeyConfigError(`${where}: expected name:secret:role. ${FORMAT_HINT}`);
  const name = entry.slice(0, first).trim();
  const secret = entry.slice(first + 1, last);
  if (!NAME.test(name)) throw new ApiKeyConfigError(`${where}: key name "${name}" may use only letters, digits, ".", "_" and "-" (at most 64).`);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ApiKeyConfigError(`${where}: the secret of key "${name}" is ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} random characters (for example the output of "openssl rand -hex 24").`);
  }
  if (/[\s,]/.test(secret)) throw new ApiKeyConfigError(`${where}: the secret of key "${name}" contains a space or a comma; use letters, digits and punctuation only.`);
  return { name, secretHash: hashSecret(secret), roles: parseRoles(entry.slice(last + 1), `${where} (key "${name}")`) };
}

/** Parse the comma-separated `IDEM_API_KEYS` value. */
export function parseApiKeyList(list: string, source = 'IDEM_API_KEYS'): ApiKey[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry, i) => parseApiKey(entry, `${source} entry ${i + 1}`));
}

/** Parse a keys file's text: one key per line, blank lines and `#` comments ignored. */
export function parseKeysFile(text: string, file: string): ApiKey[] {
  const keys: ApiKey[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.replace(/#.*$/, '').trim();
    if (entry.length > 0) keys.push(parseApiKey(entry, `${file} line ${i + 1}`));
  });
  return keys;
}

/**
 * All configured keys from the env list and the keys file together. An empty result means the
 * server runs open (see open-access.ts). Duplicate names or secrets are refused: either would
 * make the principal — the Idempotency-Key scope — ambiguous.
 */
export function loadApiKeys(sources: { apiKeys?: string | undefined; keysFile?: string | undefined }): ApiKey[] {
  const keys: ApiKey[] = [];
  if (sources.apiKeys !== undefined && sources.apiKeys.trim() !== '') keys.push(...parseApiKeyList(sources.apiKeys));
  if (sources.keysFile !== undefined && sources.keysFile !== '') {
    let text: string;
    try {
      text = readFileSync(sources.keysFile, 'utf8');
    } catch (error) {
      throw new ApiKeyConfigError(`Cannot read the keys file ${sources.keysFile}: ${(error as Error).message}`);
    }
    keys.push(...parseKeysFile(text, sources.keysFile));
  }
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const key of keys) {
    if (names.has(key.name)) throw new ApiKeyConfigError(`The key name "${key.name}" is configured twice; each principal needs one name.`);
    const hash = key.secretHash.toString('hex');
    if (hashes.has(hash)) throw new ApiKeyConfigError(`The key "${key.name}" reuses another key's secret; give every key its own secret.`);
    names.add(key.name);
    hashes.add(hash);
  }
  return keys;
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
