import { ProblemError } from '../http/problem.js';
import { essence, isJson } from '../http/media-type.js';

/** Deepest nesting accepted in a request document; deeper input is 400, never a stack overflow. */
export const MAX_DEPTH = 64;

/** Keys that could reach an object prototype if a merge ever assigned them; refused everywhere. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonObject = Record<string, unknown>;

/**
 * Check the request's media type against what the route accepts (RFC 9110 §15.5.16: 415 when
 * "the content is in a format not supported by this method on the target resource").
 */
export function requireMediaType(contentType: string | undefined, accepted: (type: string | undefined) => boolean, expected: string, headers: Record<string, string> = {}): void {
  if (accepted(contentType)) return;
  const got = contentType === undefined ? 'no Content-Type' : `Content-Type ${essence(contentType) ?? JSON.stringify(contentType)}`;
  throw new ProblemError('unsupported-media-type', `The request has ${got}; send the body as ${expected}.`, {}, headers);
}

/** Parse a JSON request body that must be one object, with every guard SPEC §2 asks for. */
export function parseJsonObject(body: Uint8Array | undefined, what = 'The request body'): JsonObject {
  const value = parseJson(body, what);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new ProblemError('invalid-document', `${what} is ${kind}; a resource is one JSON object, such as {"name": "Ada"}.`, {
      errors: [{ pointer: '', message: 'must be an object' }],
    });
  }
  return value as JsonObject;
}

/** Parse any JSON value (patch documents may be arrays), refusing malformed, deep or prototype-reaching input. */
export function parseJson(body: Uint8Array | undefined, what = 'The request body'): unknown {
  if (body === undefined || body.length === 0) {
    throw new ProblemError('malformed-json', `${what} is empty; send a JSON document.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new ProblemError('malformed-json', `${what} is not valid JSON (${(error as Error).message}). Check quotes, commas and brackets.`);
  }
  checkShape(value, what);
  return value;
}

/** Walk the value without recursion: limit depth and refuse reserved keys. */
function checkShape(root: unknown, what: string): void {
  const stack: Array<{ value: unknown; depth: number; pointer: string }> = [{ value: root, depth: 0, pointer: '' }];
  while (stack.length > 0) {
    const { value, depth, pointer } = stack.pop() as { value: unknown; depth: number; pointer: string };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      throw new ProblemError('invalid-document', `${what} is nested more than ${MAX_DEPTH} levels deep; flatten the document.`, {
        errors: [{ pointer, message: `nesting deeper than ${MAX_DEPTH}` }],
      });
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, depth: depth + 1, pointer: `${pointer}/${i}` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (RESERVED_KEYS.has(key)) {
        throw new ProblemError('invalid-document', `${what} uses the reserved key "${key}", which idem never accepts; rename the field.`, {
          errors: [{ pointer: child, message: 'reserved key' }],
        });
      }
      stack.push({ value: (value as JsonObject)[key], depth: depth + 1, pointer: child });
    }
  }
}

export { isJson };
