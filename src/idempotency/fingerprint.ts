import { createHash, hash } from 'node:crypto';

/**
 * The request fingerprint stored with an idempotency key: method + path + canonical body.
 * Two requests with the same key and the same fingerprint are "the same request" and get the
 * stored response; a different fingerprint under the same key is a client bug (422).
 *
 * The body is canonicalised when it is JSON (object keys sorted at every level), so
 * `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. A body that is not JSON is
 * hashed as bytes.
 */
export function requestFingerprint(method: string, path: string, body: Uint8Array | string | undefined, parsed?: unknown): string {
  const head = `${method.toUpperCase()}\n${path}\n`;
  // `parsed`: the body already parsed by the caller, saving a second JSON.parse.
  const canonical = parsed !== undefined ? canonicalJson(parsed) : body !== undefined && body.length > 0 ? canonicalBody(body) : '';
  if (typeof canonical === 'string') return hash('sha256', head + canonical, 'base64url');
  return createHash('sha256').update(head).update(canonical).digest('base64url');
}

function canonicalBody(body: Uint8Array | string): string | Uint8Array {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return body;
  }
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops and string appends: this runs on every keyed write (map/join cost twice as much).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `${out}}`;
}
