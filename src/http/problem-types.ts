/**
 * The one table that maps every error kind idem produces to its HTTP status, its stable
 * problem `type` URI and its title (RFC 9457 §3.1). Everything that builds a problem goes
 * through this table, so a kind never changes status or type by accident.
 */

/** Base of every problem `type` URI. The URIs are identifiers; they also resolve to the docs page. */
export const PROBLEM_BASE = 'https://idem.dev/problems/';

export const problemKinds = {
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'invalid-document': { status: 400, title: 'Document does not match the schema' },
  'incomplete-replacement': { status: 400, title: 'PUT replaces the whole document: required fields are missing' },
  'invalid-id': { status: 400, title: 'Invalid resource id' },
  'id-mismatch': { status: 400, title: 'Body id differs from the URL id' },
  'invalid-query': { status: 400, title: 'Invalid query parameter' },
  'invalid-header': { status: 400, title: 'Invalid header value' },
  'invalid-patch': { status: 400, title: 'Malformed patch document' },
  'read-only-field': { status: 400, title: 'Server-managed field cannot be changed' },
  'idempotency-key-invalid': { status: 400, title: 'Invalid Idempotency-Key header' },
  'idempotency-key-required': { status: 400, title: 'Idempotency-Key header required' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this principal' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'version-conflict': { status: 409, title: 'Version conflict' },
  'unique-conflict': { status: 409, title: 'A unique field already has this value' },
  'patch-test-failed': { status: 409, title: 'JSON Patch test or path failed against the current document' },
  'idempotency-in-flight': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  'idempotency-outcome-unknown': { status: 409, title: 'The outcome of the request with this Idempotency-Key is unknown' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  'bad-gateway': { status: 502, title: 'Bad gateway' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
  'gateway-timeout': { status: 504, title: 'Gateway timeout' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof problemKinds;

/** The stable `type` URI of a problem kind. */
export function problemType(kind: ProblemKind): string {
  return PROBLEM_BASE + kind;
}
