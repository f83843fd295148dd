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

const httpDates = new Map<string, string>();

/**
 * Last-Modified (RFC 9110 §8.8.2) is an HTTP-date with one-second resolution. Formatting a date
 * costs more than the rest of a GET's own work, and the same few timestamps are served again
 * and again, so recent results are kept (bounded).
 */
export function httpDate(rfc3339: string): string {
  let text = httpDates.get(rfc3339);
  if (text === undefined) {
    if (httpDates.size >= 4096) httpDates.clear();
    text = new Date(rfc3339).toUTCString();
    httpDates.set(rfc3339, text);
  }
  return text;
}

/** Headers every successful response about one live resource carries. */
export function validatorHeaders(doc: StoredDocument): Record<string, string> {
  return { etag: doc.etag, 'last-modified': httpDate(doc.updatedAt) };
}
