import type { StoredDocument } from './store.js';

/**
 * How the SQLite store keeps a document's body: the `body_kind` column says which form.
 *
 * A document's representation is `{"id":…, <client fields>, "version":…, "createdAt":…,
 * "updatedAt":…}` (representation.ts), and id, version and both times are columns of the same
 * row already. Storing the whole representation repeated ~130 bytes of a ~300-byte row, and
 * rows that size no longer fit SQLite's page cache at 100k documents: a GET by id then read
 * its leaf page from the OS (bench/README.md, "Large collections: GET at 100k rows"). So the row keeps only the
 * client fields, as a JSON object — which the listing filters query with json_extract as
 * before — and a read puts the envelope back around them.
 *
 * The compact form is taken only when rebuilding gives back exactly the same bytes (the ETag
 * is a hash of those bytes); any other body — an older row, a tombstone's empty body, a field
 * named like a member of the envelope — is kept whole.
 */
export const BODY_KIND = {
  /** `body` is the representation itself. */
  whole: 0,
  /** `body` is the client fields only; the representation is rebuilt from the row. */
  fields: 1,
} as const;

export type BodyKind = (typeof BODY_KIND)[keyof typeof BODY_KIND];

/** The text and kind a document's body is stored as. */
export function storedBody(doc: StoredDocument): [text: string, kind: BodyKind] {
  const body = doc.body;
  const head = envelopeHead(doc.id);
  const tail = envelopeTail(doc.version, doc.createdAt, doc.updatedAt);
  if (body.length < head.length + tail.length || !body.startsWith(head) || !body.endsWith(tail)) return [body, BODY_KIND.whole];
  const members = body.slice(head.length, body.length - tail.length);
  if (members === '') return ['{}', BODY_KIND.fields];
  // The members of one JSON object follow the id after a comma; anything else is kept whole.
  if (members.length < 2 || members.charCodeAt(0) !== 44 /* , */) return [body, BODY_KIND.whole];
  return [`{${members.slice(1)}}`, BODY_KIND.fields];
}

/** The representation a stored body stands for. */
export function representation(id: string, version: number, createdAt: string, updatedAt: string, text: string, kind: number): string {
  if (kind !== BODY_KIND.fields) return text;
  const members = text.length <= 2 ? '' : `,${text.slice(1, -1)}`;
  return envelopeHead(id) + members + envelopeTail(version, createdAt, updatedAt);
}

function envelopeHead(id: string): string {
  return `{"id":${JSON.stringify(id)}`;
}

function envelopeTail(version: number, createdAt: string, updatedAt: string): string {
  return `,"version":${version},"createdAt":${JSON.stringify(createdAt)},"updatedAt":${JSON.stringify(updatedAt)}}`;
}
