/**
 * Idempotency-Key values (draft-ietf-httpapi-idempotency-key-header §2.1): the field is a
 * Structured Field sf-string (RFC 8941 §3.3.3), e.g. `Idempotency-Key: "8e03978e-…"`.
 */

/** Keys are 1–255 visible ASCII characters (SPEC §4); space is allowed inside an sf-string but kept out for safety. */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/** True when `key` can be sent as an Idempotency-Key. */
export function isValidIdempotencyKey(key: string): boolean {
  return VALID_KEY.test(key);
}

/** A fresh random key: a UUIDv4 from the platform's CSPRNG (Node 20+ and browsers). */
export function generateIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  // randomUUID needs a secure context in browsers; getRandomValues does not (RFC 9562 §5.4 layout).
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Serialize a key as an sf-string (RFC 8941 §4.1.6): quoted, with `\` and `"` escaped. */
export function serializeIdempotencyKey(key: string): string {
  return `"${key.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * The raw key of an Idempotency-Key field value the caller set by hand: an sf-string is
 * unquoted (RFC 8941 §4.2.5), a bare token is taken as is.
 */
export function parseIdempotencyKeyHeader(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\([\\"])/g, '$1');
  }
  return trimmed;
}
