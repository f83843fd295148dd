/**
 * Parsing the Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header §2.1).
 *
 * The draft defines the field as a Structured Field Item of type String (RFC 8941 §3.3.3):
 * `"` *( unescaped / "\" ( DQUOTE / "\" ) ) `"`. Many clients send a bare token (a UUID
 * without quotes), so that form is accepted too. Either way the key is 1..255 visible ASCII
 * characters. A list, two header fields (which Node joins with ", "), parameters or anything
 * else is rejected, so two different requests can never be read as the same key.
 */

export const MAX_KEY_LENGTH = 255;

export type KeyParse = { ok: true; key: string } | { ok: false; reason: string };

const HOW_TO =
  'Send exactly one Idempotency-Key header whose value is a quoted string such as "8e03978e-40d5-43e8-bc93-6894a57f9324" (1-255 visible ASCII characters).';

/** Parse one Idempotency-Key field value. `value` is what the HTTP layer received, joined if repeated. */
export function parseIdempotencyKey(value: string | string[]): KeyParse {
  if (Array.isArray(value)) {
    return value.length === 1 ? parseIdempotencyKey(value[0] as string) : fail(`Idempotency-Key was sent ${value.length} times.`);
  }
  const input = value.trim();
  if (input.length === 0) return fail('Idempotency-Key is empty.');
  const key = input.startsWith('"') ? parseSfString(input) : parseBareToken(input);
  if (key === undefined) return fail(`Idempotency-Key ${JSON.stringify(truncate(input))} is not a single quoted string or token (a list, a parameter or a stray character).`);
  if (key.length === 0) return fail('Idempotency-Key is an empty string.');
  if (key.length > MAX_KEY_LENGTH) return fail(`Idempotency-Key is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}.`);
  if (!/^[\x21-\x7e]+$/.test(key)) return fail('Idempotency-Key may contain only visible ASCII characters (no spaces or control characters).');
  return { ok: true, key };
}

function fail(what: string): KeyParse {
  return { ok: false, reason: `${what} ${HOW_TO}` };
}

/** RFC 8941 §4.2.5: parse an sf-string that must make up the whole field value. */
function parseSfString(input: string): string | undefined {
  // The usual key has no escapes: its only other quote closes it, at the very end. (Characters
  // are checked by the caller, more strictly than sf-string does.)
  if (input.indexOf('"', 1) === input.length - 1 && !input.includes('\\')) return input.slice(1, -1);
  let out = '';
  for (let i = 1; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === '\\') {
      const next = input[i + 1];
      if (next !== '"' && next !== '\\') return undefined;
      out += next;
      i++;
    } else if (ch === '"') {
      return i === input.length - 1 ? out : undefined;
    } else if (ch < ' ' || ch > '~') {
      return undefined;
    } else {
      out += ch;
    }
  }
  return undefined;
}

/** The compatibility form: a bare run of visible ASCII without quotes, commas, semicolons or backslashes. */
function parseBareToken(input: string): string | undefined {
  return /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(input) ? input : undefined;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
