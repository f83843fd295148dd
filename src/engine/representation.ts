import { strongEtag } from '../http/etag.js';
import type { StoredDocument } from '../store/store.js';
import type { JsonObject } from './body.js';

/** Fields the server manages: output-only on input (SPEC §1). */
export const SERVER_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;
const SERVER_FIELD_SET: ReadonlySet<string> = new Set(SERVER_FIELDS);

export function isServerField(name: string): boolean {
  return SERVER_FIELD_SET.has(name);
}

/** The client's fields of a document: everything but the server-managed ones. */
export function clientFields(document: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(document)) {
    if (!SERVER_FIELD_SET.has(key)) out[key] = document[key];
  }
  return out;
}

/** The client fields of a stored (live) document. */
export function storedClientFields(doc: StoredDocument): JsonObject {
  return clientFields(JSON.parse(doc.body) as JsonObject);
}

/**
 * Build the stored form of a new state: the representation text (id first, the client's
 * fields, then version and timestamps) and its strong ETag, computed once at write time so a
 * GET serves stored bytes without re-serialising.
 */
export function buildDocument(
  collection: string,
  id: string,
  fields: JsonObject,
  version: number,
  createdAt: string,
  updatedAt: string,
): StoredDocument {
  const body = JSON.stringify({ id, ...fields, version, createdAt, updatedAt });
  return { collection, id, version, etag: strongEtag(body), createdAt, updatedAt, deleted: false, body };
}

/** A DELETE's tombstone: keeps the version counting so history and ETags never repeat. */
export function tombstone(previous: StoredDocument, at: string): StoredDocument {
  return { ...previous, version: previous.version + 1, etag: '', updatedAt: at, deleted: true, body: '' };
}

const WEEKDAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed']; // 1970-01-01 was a Thursday
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** The number written in `text` from `start` to `end`, or NaN if anything there is not a digit. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Last-Modified (RFC 9110 §8.8.2) is an IMF-fixdate with one-second resolution
 * (`Sun, 06 Nov 1994 08:49:37 GMT`, §5.6.7). Every GET sends one, and `new Date(s).toUTCString()`
 * cost more than the rest of a GET's own work, so the fields are cut out of the stored
 * `toISOString()` text (`1994-11-06T08:49:37.000Z`) and only the weekday is computed; any other
 * shape falls back to Date.
 */
export function httpDate(iso: string): string {
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 7);
  const day = digits(iso, 8, 10);
  const shaped = iso.length === 24 && iso[4] === '-' && iso[7] === '-' && iso[10] === 'T' && iso[13] === ':' && iso[16] === ':' && iso[23] === 'Z';
  if (!shaped || Number.isNaN(year + month + day) || month < 1 || month > 12) return new Date(iso).toUTCString();
  const days = Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
  return `${WEEKDAYS[((days % 7) + 7) % 7]}, ${iso.slice(8, 10)} ${MONTHS[month - 1]} ${iso.slice(0, 4)} ${iso.slice(11, 19)} GMT`;
}

/** Headers every successful response about one live resource carries. */
export function validatorHeaders(doc: StoredDocument): Record<string, string> {
  return { etag: doc.etag, 'last-modified': httpDate(doc.updatedAt) };
}
