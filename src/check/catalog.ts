import type { CheckDefinition } from './types.js';

/**
 * Every contract `idem check` audits, in the order it runs them. The level says where the
 * requirement comes from: MUST only when the RFC that defines the method, header or status
 * uses MUST; everything else (RFC SHOULDs, the Idempotency-Key draft, idem's SPEC) is SHOULD.
 */
export const checks = {
  createPost: {
    id: 'post-creates',
    title: 'POST creates: 201 Created with a Location header',
    level: 'SHOULD',
    reference: 'RFC 9110 §9.3.3, §15.3.2',
  },
  createPut: {
    id: 'put-creates',
    title: 'PUT to a new id creates: 201 Created',
    level: 'MUST',
    reference: 'RFC 9110 §9.3.4',
  },
  locationResolves: {
    id: 'location-resolves',
    title: 'The created resource can be read back (GET Location is 200 with the sent fields)',
    level: 'SHOULD',
    reference: 'RFC 9110 §9.3.3, §10.2.2',
  },
  strongEtag: {
    id: 'get-strong-etag',
    title: 'GET carries a strong ETag',
    level: 'SHOULD',
    reference: 'RFC 9110 §8.8.3; idem SPEC §3',
  },
  ifNoneMatch304: {
    id: 'get-if-none-match-304',
    title: 'GET with If-None-Match of the current ETag is 304 Not Modified',
    level: 'MUST',
    reference: 'RFC 9110 §13.1.2, §15.4.5',
  },
  headMatchesGet: {
    id: 'head-matches-get',
    title: 'HEAD answers like GET (status, ETag, Content-Type), without content',
    level: 'MUST',
    reference: 'RFC 9110 §9.3.2',
  },
  putReplaces: {
    id: 'put-replaces',
    title: 'PUT is a full replacement: fields left out are gone',
    level: 'MUST',
    reference: 'RFC 9110 §9.3.4',
  },
  putIdempotent: {
    id: 'put-idempotent',
    title: 'The same PUT twice leaves the same state, and the repeat is not 201',
    level: 'MUST',
    reference: 'RFC 9110 §9.2.2, §9.3.4',
  },
  putNoopEtag: {
    id: 'put-noop-keeps-etag',
    title: 'A PUT that changes nothing keeps the ETag',
    level: 'SHOULD',
    reference: 'RFC 9110 §8.8.3; idem SPEC §2',
  },
  putMissing: {
    id: 'put-missing-id',
    title: 'PUT to an id that does not exist creates it (201) or refuses (4xx), never 200',
    level: 'MUST',
    reference: 'RFC 9110 §9.3.4',
  },
  staleIfMatch: {
    id: 'if-match-stale-412',
    title: 'PUT with a stale If-Match is 412 and changes nothing',
    level: 'MUST',
    reference: 'RFC 9110 §13.1.1, §15.5.13',
  },
  ifNoneMatchStar: {
    id: 'if-none-match-star-412',
    title: 'PUT with If-None-Match: * on an existing resource is 412 and changes nothing',
    level: 'MUST',
    reference: 'RFC 9110 §13.1.2, §15.5.13',
  },
  patchApplies: {
    id: 'patch-applies',
    title: 'A PATCH that succeeds applies the patch (merge patch, JSON patch)',
    level: 'MUST',
    reference: 'RFC 5789 §2; RFC 7396; RFC 6902',
  },
  patch415: {
    id: 'patch-415-accept-patch',
    title: 'PATCH with an unsupported patch format is 415 with Accept-Patch',
    level: 'SHOULD',
    reference: 'RFC 5789 §2.2, §3.1',
  },
  badJson: {
    id: 'malformed-json-4xx',
    title: 'Malformed JSON is a 4xx (400), not 2xx or 5xx',
    level: 'SHOULD',
    reference: 'RFC 9110 §15.5.1; idem SPEC §2, §8',
  },
  wrongContentType: {
    id: 'wrong-content-type-415',
    title: 'A body that is not application/json is refused with 415',
    level: 'SHOULD',
    reference: 'RFC 9110 §15.5.16; idem SPEC §2',
  },
  allowOn405: {
    id: '405-has-allow',
    title: 'Every 405 Method Not Allowed carries an Allow header',
    level: 'MUST',
    reference: 'RFC 9110 §15.5.6',
  },
  allowAccurate: {
    id: 'allow-matches-reality',
    title: 'An unsupported method on an existing resource is 405, and Allow lists what actually works',
    level: 'SHOULD',
    reference: 'RFC 9110 §10.2.1, §15.5.6; idem SPEC §2',
  },
  keyReplay: {
    id: 'idempotency-key-replay',
    title: 'Idempotency-Key: the same key and body replays the first response and creates nothing new',
    level: 'SHOULD',
    reference: 'draft-ietf-httpapi-idempotency-key-header §2; idem SPEC §4',
  },
  keyMismatch: {
    id: 'idempotency-key-mismatch-422',
    title: 'Idempotency-Key: the same key with a different body is 422',
    level: 'SHOULD',
    reference: 'draft-ietf-httpapi-idempotency-key-header (Error Scenarios); idem SPEC §4',
  },
  keyConcurrent: {
    id: 'idempotency-key-concurrent',
    title: 'Idempotency-Key: concurrent requests with one key create one resource',
    level: 'SHOULD',
    reference: 'draft-ietf-httpapi-idempotency-key-header (Error Scenarios); idem SPEC §4',
  },
  deleteThenGet: {
    id: 'delete-then-404',
    title: 'DELETE succeeds, then GET is 404 (or 410)',
    level: 'MUST',
    reference: 'RFC 9110 §9.3.5',
  },
  deleteRepeat: {
    id: 'delete-repeat-same-state',
    title: 'A second DELETE leaves the same state (still gone, no 5xx)',
    level: 'MUST',
    reference: 'RFC 9110 §9.2.2, §9.3.5',
  },
  problemJson: {
    id: 'errors-are-problem-json',
    title: 'Error responses are application/problem+json with type, title and status',
    level: 'SHOULD',
    reference: 'RFC 9457 §3; idem SPEC §8',
  },
  noServerErrors: {
    id: 'no-5xx',
    title: 'No request the checker sent got a 5xx',
    level: 'SHOULD',
    reference: 'RFC 9110 §15.6; idem SPEC §8',
  },
} as const satisfies Record<string, CheckDefinition>;

/** A key of the catalog. */
export type CheckKey = keyof typeof checks;
