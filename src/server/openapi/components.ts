/**
 * The shared parts of idem's OpenAPI document: the problem schema (RFC 9457), the
 * headers idem sends and reads, the request parameters and the error responses. Resource
 * operations refer to these with `$ref`, so each is described once.
 */

/** A JSON object in the OpenAPI document. */
export type OpenApiObject = Record<string, unknown>;

/** `$ref` to a component. */
export function ref(kind: 'schemas' | 'parameters' | 'headers' | 'responses' | 'requestBodies', name: string): OpenApiObject {
  return { $ref: `#/components/${kind}/${name}` };
}

/** The problem details object every error carries (RFC 9457 §3, with idem's extension members). */
export const problemSchema: OpenApiObject = {
  type: 'object',
  description: 'An RFC 9457 problem details object. Every error response of idem is one, with media type application/problem+json.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'A stable URI naming the kind of error, e.g. https://idem.dev/problems/precondition-failed.' },
    title: { type: 'string', description: 'A short summary of the kind of error; the same for every occurrence.' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code.' },
    detail: { type: 'string', description: 'One sentence, specific to this occurrence, that says what was wrong and what to do.' },
    instance: { type: 'string', description: 'The request path this problem is about.' },
    requestId: { type: 'string', description: 'Correlates this response with server logs and history.' },
    errors: { type: 'array', description: 'Field-level errors of an invalid document or query.', items: { $ref: '#/components/schemas/FieldError' } },
    missing: { type: 'array', items: { type: 'string' }, description: 'Required fields a PUT left out (a PUT replaces the whole document).' },
    currentEtag: { type: ['string', 'null'], description: 'On 409 and 412: the current ETag, to re-read and retry with If-Match.' },
    currentVersion: { type: ['integer', 'null'], description: 'On 409 and 412: the current version of the resource.' },
  },
  additionalProperties: true,
};

export const fieldErrorSchema: OpenApiObject = {
  type: 'object',
  required: ['pointer', 'message'],
  properties: {
    pointer: { type: 'string', description: 'A JSON Pointer (RFC 6901) to the offending field of the request document.' },
    message: { type: 'string' },
  },
};

/** JSON Patch (RFC 6902 §4) operations. */
export const jsonPatchSchema: OpenApiObject = {
  type: 'array',
  description: 'An RFC 6902 JSON Patch document. A failing `test` operation is 409.',
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: {
      op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: 'string', description: 'JSON Pointer (RFC 6901).' },
      from: { type: 'string', description: 'JSON Pointer, for move and copy.' },
      value: { description: 'For add, replace and test.' },
    },
  },
};

/** Response headers (RFC 9110 and the Idempotency-Key draft). */
export const headers: Record<string, OpenApiObject> = {
  ETag: {
    description: 'Strong entity tag of the representation (RFC 9110 §8.8.3). Send it back in If-Match to update without losing changes.',
    schema: { type: 'string' },
  },
  LastModified: { description: 'When the resource last changed (RFC 9110 §8.8.2).', schema: { type: 'string' } },
  Location: { description: 'URL of the created resource (RFC 9110 §10.2.2).', schema: { type: 'string', format: 'uri-reference' } },
  Link: { description: 'RFC 8288 link to the next page: `<…?cursor=…>; rel="next"`. Absent on the last page.', schema: { type: 'string' } },
  IdempotentReplayed: {
    description: 'Present with value `true` when this response is the stored response of an earlier request with the same Idempotency-Key; nothing ran again.',
    schema: { type: 'string', enum: ['true'] },
  },
  PreferenceApplied: { description: 'The Prefer preference that was honoured (RFC 7240 §3), e.g. `return=minimal`.', schema: { type: 'string' } },
  RetryAfter: { description: 'Seconds to wait before retrying (RFC 9110 §10.2.3).', schema: { type: 'integer', minimum: 0 } },
  Allow: { description: 'The methods the target resource supports (RFC 9110 §10.2.1).', schema: { type: 'string' } },
  AcceptPatch: {
    description: 'The patch formats accepted (RFC 5789 §3.1): application/merge-patch+json, application/json-patch+json.',
    schema: { type: 'string' },
  },
  WWWAuthenticate: { description: 'The authentication challenge (RFC 9110 §11.6.1): `Bearer realm="idem"`.', schema: { type: 'string' } },
};

/** Request parameters shared by many operations. */
export function parameters(retention: { seconds: number; text: string }): Record<string, OpenApiObject> {
  return {
    Id: {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The resource id: 1 to 128 URL-unreserved characters.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$' },
    },
    VersionNumber: {
      name: 'n',
      in: 'path',
      required: true,
      description: 'A version number of the resource (1 is the first).',
      schema: { type: 'integer', minimum: 1 },
    },
    IfMatch: {
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'Only apply the change if the current ETag is one of these (or `*`: if the resource exists). Otherwise 412, and the problem carries currentEtag and currentVersion (RFC 9110 §13.1.1).',
      schema: { type: 'string' },
    },
    IfNoneMatchRead: {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'Answer 304 Not Modified when the current ETag is one of these (RFC 9110 §13.1.2).',
      schema: { type: 'string' },
    },
    IfNoneMatchWrite: {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: '`*` makes the PUT create-only: 412 if the resource already exists (RFC 9110 §13.1.2).',
      schema: { type: 'string' },
    },
    IdempotencyKey: idempotencyKeyParameter(retention, false),
    Prefer: {
      name: 'Prefer',
      in: 'header',
      required: false,
      description: '`return=minimal` answers without a body (200 becomes 204; 201 stays 201); `return=representation` is the default (RFC 7240 §4.2).',
      schema: { type: 'string', examples: ['return=minimal'] },
    },
    Limit: {
      name: 'limit',
      in: 'query',
      required: false,
      description: 'Page size, 1 to 1000 (default 50).',
      schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    },
    Cursor: {
      name: 'cursor',
      in: 'query',
      required: false,
      description: 'The `next` value of the previous page. Opaque: do not build it.',
      schema: { type: 'string' },
    },
  };
}

/** The Idempotency-Key parameter, with the retention period in its description and as an extension. */
export function idempotencyKeyParameter(retention: { seconds: number; text: string }, required: boolean): OpenApiObject {
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required,
    description:
      'A unique key (a quoted string such as "8e03978e-40d5-43e8-bc93-6894a57f9324", or a bare token; 1-255 visible ASCII characters) that makes this request safe to retry. ' +
      'A retry with the same key and the same method, path and body gets the stored response with `Idempotent-Replayed: true` and nothing runs again; ' +
      'the same key with a different request is 422; while the first request is still running a retry gets 409 with Retry-After. ' +
      `Keys are scoped to the caller (API key) and kept for ${retention.text} (${retention.seconds} s) after the request; after that the key may be used afresh.` +
      (required ? ' This resource type requires it on POST: a POST without it is 400.' : ''),
    schema: { type: 'string', minLength: 1, maxLength: 257 },
    'x-idempotency-retention-seconds': retention.seconds,
  };
}

function problemResponse(description: string, extraHeaders: Record<string, OpenApiObject> = {}): OpenApiObject {
  return {
    description,
    headers: extraHeaders,
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
  };
}

/** The error responses, each an application/problem+json body. */
export const responses: Record<string, OpenApiObject> = {
  NotModified: { description: 'Not Modified: the ETag in If-None-Match is current (RFC 9110 §15.4.5).', headers: { ETag: ref('headers', 'ETag') } },
  BadRequest: problemResponse(
    'Bad Request: malformed JSON, a document that does not match the schema (`errors` points at each field), a PUT that leaves out required fields (`missing`), a bad id, query parameter, header or Idempotency-Key.',
  ),
  Unauthorized: problemResponse('Unauthorized: no API key, or an unknown one. Send `Authorization: Bearer <secret>`.', {
    'WWW-Authenticate': ref('headers', 'WWWAuthenticate'),
  }),
  Forbidden: problemResponse('Forbidden: the API key\'s role does not allow this method on this resource type (read: GET, HEAD, OPTIONS; write: also POST, PUT, PATCH, DELETE).'),
  NotFound: problemResponse('Not Found: no such resource (or it was deleted; its history stays readable).'),
  MethodNotAllowed: problemResponse('Method Not Allowed; Allow lists the methods that work here.', { Allow: ref('headers', 'Allow') }),
  Conflict: problemResponse(
    'Conflict: a `version` in the body that is not the current one, a duplicate unique field, a failed JSON Patch test (all with currentEtag and currentVersion), or a request with the same Idempotency-Key still running (with Retry-After).',
    { 'Retry-After': ref('headers', 'RetryAfter') },
  ),
  PreconditionFailed: problemResponse('Precondition Failed: If-Match did not match (or If-None-Match: * on an existing resource). The problem carries currentEtag and currentVersion: re-read, re-apply and retry.'),
  PayloadTooLarge: problemResponse('Content Too Large: the request body is over the limit.'),
  UnsupportedMediaType: problemResponse('Unsupported Media Type: send application/json (PATCH: a type listed in Accept-Patch).', {
    'Accept-Patch': ref('headers', 'AcceptPatch'),
  }),
  IdempotencyKeyReused: problemResponse('Unprocessable Content: this Idempotency-Key was already used with a different request (method, path or body). Use a new key for a new request.'),
  PreconditionRequired: problemResponse('Precondition Required: this resource type requires If-Match on PUT, PATCH and DELETE (RFC 6585 §3). GET the resource and send its ETag.'),
  TooManyRequests: problemResponse('Too Many Requests: the caller\'s rate limit is used up (RFC 6585 §4). Wait Retry-After seconds.', {
    'Retry-After': ref('headers', 'RetryAfter'),
  }),
};
