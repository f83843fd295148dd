import type { StoredResponse } from '../store/store.js';
import { INTERNAL_PREFIX } from './headers.js';

/**
 * Response bodies in the Store are text (`StoredResponse.body`). The proxy fronts any API, so
 * a body may be binary (an image, a PDF, gzip-encoded JSON). Chosen: a body that is valid
 * UTF-8 is stored as text, as-is (readable in the store, the common case for JSON APIs);
 * anything else is stored base64 with the internal header `x-idem-proxy-body-encoding: base64`.
 * A replay decodes it back to the exact bytes, so replays are byte-identical either way.
 */
export const BODY_ENCODING_HEADER = `${INTERNAL_PREFIX}body-encoding`;

/**
 * Set when the upstream body was larger than the store cap: the record keeps the status and
 * headers (so the request is still never repeated) but not the body. Value: the cap in bytes.
 */
export const BODY_OMITTED_HEADER = `${INTERNAL_PREFIX}body-omitted`;

/** The header a client sees on a response whose body was not stored (live and replayed). */
export const WARNING_HEADER = 'idem-proxy-warning';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encode bytes for the store: text when valid UTF-8, base64 (flagged in `headers`) otherwise. */
export function encodeStoredBody(body: Buffer, headers: Record<string, string>): StoredResponse['body'] {
  try {
    return utf8.decode(body);
  } catch {
    headers[BODY_ENCODING_HEADER] = 'base64';
    return body.toString('base64');
  }
}

/** The exact bytes a stored response is replayed with. */
export function decodeStoredBody(response: StoredResponse): Buffer {
  return response.headers[BODY_ENCODING_HEADER] === 'base64' ? Buffer.from(response.body, 'base64') : Buffer.from(response.body, 'utf8');
}

/** The warning text for a body larger than the cap. */
export function bodyNotStoredWarning(cap: number): string {
  return `response body exceeds the proxy store cap of ${cap} bytes and was not stored; a replay returns the status and headers with an empty body`;
}
