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

/**
 * A fresh key: a UUIDv7 (RFC 9562 §5.7), 48 bits of Unix milliseconds then 74 random bits from
 * the platform's CSPRNG (`getRandomValues`: Node 20+ and every browser, secure context or not).
 *
 * Time-ordered rather than v4 because the server files every key in a B-tree index: keys made
 * around the same moment land on the same few index pages, while random v4 keys dirty one page
 * each, per write, on any store (RFC 9562 §2.1: "poor database-index locality"). Measured on
 * idem's SQLite store: bench/README.md, "POST with an Idempotency-Key". 74 random bits keep two
 * keys from colliding even when millions are made in the same millisecond.
 */
export function generateIdempotencyKey(now: number = Date.now()): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  // unix_ts_ms, big-endian, in the first 6 bytes; Math.floor keeps the division exact above 2^32.
  const high = Math.floor(now / 2 ** 16);
  b[0] = (high >>> 24) & 0xff;
  b[1] = (high >>> 16) & 0xff;
  b[2] = (high >>> 8) & 0xff;
  b[3] = high & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70; // version 7
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // variant 10
  let hex = '';
  for (const byte of b) hex += byte.toString(16).padStart(2, '0');
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
