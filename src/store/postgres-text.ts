/**
 * Strings PostgreSQL cannot hold, made safe without losing what they mean.
 *
 * PostgreSQL `text` cannot contain NUL (U+0000), and `jsonb` rejects `\u0000` and unpaired
 * surrogate escapes (`\ud800`) — all valid JSON (RFC 8259 §7) that a client may send. Passed
 * as they are, they would make a write fail with a 500 instead of storing the document. So:
 * - the exact `body` text (JSON, where such characters are always escaped) is stored as is;
 * - the jsonb copy used for filters, and the filter fields and values, go through one
 *   injective string encoding (`jsonbSafeString`), so equal strings stay equal and different
 *   strings stay different;
 * - lock names are escaped before hashing.
 */

/** A private-use character that introduces an escape. */
const ESC = '\uE000';
/** Characters that need escaping in a string: NUL, ESC itself, any surrogate (checked for pairing below). */
const UNSAFE_CHAR = /[\u0000\uE000\uD800-\uDFFF]/;
/** JSON text that may contain such a character, raw or as a `\u` escape. */
const UNSAFE_JSON = /\\u0000|\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\u[eE]000|[\uE000\uD800-\uDFFF]/;

/**
 * Encode a string so PostgreSQL text and jsonb accept it: ESC becomes ESC ESC, NUL becomes
 * ESC "0", an unpaired surrogate becomes ESC "u" and its four hex digits. Every other
 * character, paired surrogates included, is kept. Decoding is unambiguous, so the encoding
 * is injective: it never makes two different strings equal.
 */
export function jsonbSafeString(value: string): string {
  if (!UNSAFE_CHAR.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0xe000) out += ESC + ESC;
    else if (c === 0) out += `${ESC}0`;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      out += value.slice(i, i + 2);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += `${ESC}u${c.toString(16).padStart(4, '0')}`;
    else out += value[i];
  }
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The JSON text to cast to jsonb for `body`: the body itself unless a string in it needs `jsonbSafeString`. */
export function jsonbText(body: string): string {
  if (!UNSAFE_JSON.test(body)) return body;
  return JSON.stringify(safeValue(JSON.parse(body) as unknown));
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return jsonbSafeString(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // defineProperty: a "__proto__" key stays an ordinary key.
      Object.defineProperty(out, jsonbSafeString(key), { value: safeValue(inner), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A filter value as JSON text for `::jsonb`, encoded like the documents' strings. */
export function jsonbFilterValue(value: string | number | boolean | null): string {
  return JSON.stringify(typeof value === 'string' ? jsonbSafeString(value) : value);
}

/** A lock name without NUL (the only character text cannot hold); injective, as collisions would cost waits. */
export function lockName(name: string): string {
  return name.includes('\u0000') || name.includes('\\') ? name.replaceAll('\\', '\\\\').replaceAll('\u0000', '\\0') : name;
}
