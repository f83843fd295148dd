import { parseEtagCondition, strongMatch, weakMatch, type EtagCondition } from '../http/etag.js';
import { ProblemError } from '../http/problem.js';
import type { StoredDocument } from '../store/store.js';
import { conflictDetails } from './conflict.js';
import { headerValue } from './context.js';
import type { EngineRequest } from './types.js';

/** The conditional request header fields of RFC 9110 §13.1, parsed. */
export interface Preconditions {
  ifMatch?: EtagCondition;
  ifNoneMatch?: EtagCondition;
  ifUnmodifiedSince?: number;
  ifModifiedSince?: number;
}

const NONE: Preconditions = Object.freeze({});

/** Parse the conditional headers; a malformed entity-tag list is 400 rather than a guess. */
export function parsePreconditions(req: EngineRequest): Preconditions {
  const h = req.headers;
  // Most requests carry none: they share one empty, frozen result.
  if (h['if-match'] === undefined && h['if-none-match'] === undefined && h['if-unmodified-since'] === undefined && h['if-modified-since'] === undefined) return NONE;
  const out: Preconditions = {};
  const ifMatch = etagCondition(req, 'if-match', 'If-Match');
  if (ifMatch) out.ifMatch = ifMatch;
  const ifNoneMatch = etagCondition(req, 'if-none-match', 'If-None-Match');
  if (ifNoneMatch) out.ifNoneMatch = ifNoneMatch;
  const ius = httpDateHeader(req, 'if-unmodified-since');
  if (ius !== undefined) out.ifUnmodifiedSince = ius;
  const ims = httpDateHeader(req, 'if-modified-since');
  if (ims !== undefined) out.ifModifiedSince = ims;
  return out;
}

function etagCondition(req: EngineRequest, name: string, displayName: string): EtagCondition | undefined {
  const value = headerValue(req, name);
  if (value === undefined) return undefined;
  const parsed = parseEtagCondition(value);
  if (!parsed) {
    throw new ProblemError('invalid-header', `${displayName}: ${JSON.stringify(value)} is not "*" or a list of quoted entity-tags; send the ETag exactly as received, quotes included.`);
  }
  return parsed;
}

/** RFC 9110 §13.1.3, §13.1.4: an invalid HTTP-date is ignored, not an error. */
function httpDateHeader(req: EngineRequest, name: string): number | undefined {
  const value = headerValue(req, name);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** Last-Modified has one-second resolution, so comparisons drop the milliseconds. */
function lastModifiedSeconds(doc: StoredDocument): number {
  return Math.floor(Date.parse(doc.updatedAt) / 1000) * 1000;
}

/** §13.1.1: `*` matches any current representation; a list matches by strong comparison. */
function ifMatchHolds(condition: EtagCondition, current: StoredDocument | undefined): boolean {
  if (!current) return false;
  return condition.any || condition.tags.some((tag) => strongMatch(tag, current.etag));
}

/** §13.1.2: `*` fails when a representation exists; a list fails when any tag weakly matches. */
function ifNoneMatchHolds(condition: EtagCondition, current: StoredDocument | undefined): boolean {
  if (!current) return true;
  return !(condition.any || condition.tags.some((tag) => weakMatch(tag, current.etag)));
}

/**
 * Evaluate preconditions for a state-changing request against the state it would replace, in
 * the order of RFC 9110 §13.2.2. Must be called inside the write transaction, after the current
 * state was read for update, so no other write can slip between check and act.
 * `current` is the live document, or undefined when there is none (never created, or deleted).
 */
export function checkWritePreconditions(pre: Preconditions, current: StoredDocument | undefined, target: { collection: string; id: string }): void {
  // Step 1, or step 2 when If-Match is absent.
  if (pre.ifMatch) {
    if (!ifMatchHolds(pre.ifMatch, current)) {
      const why = current ? 'none of the ETags in If-Match is the current one' : 'the resource does not exist';
      throw preconditionFailed(`If-Match failed: ${why}. Re-read the resource, re-apply your change and retry with the new ETag.`, current, target);
    }
  } else if (pre.ifUnmodifiedSince !== undefined && current && lastModifiedSeconds(current) > pre.ifUnmodifiedSince) {
    throw preconditionFailed('If-Unmodified-Since failed: the resource changed after that time. Re-read it and retry.', current, target);
  }
  // Step 3: for methods other than GET/HEAD a false If-None-Match is 412.
  if (pre.ifNoneMatch && !ifNoneMatchHolds(pre.ifNoneMatch, current)) {
    const why = pre.ifNoneMatch.any ? 'the resource already exists (If-None-Match: * means create only)' : 'the current ETag is in If-None-Match';
    throw preconditionFailed(`If-None-Match failed: ${why}.`, current, target);
  }
}

/**
 * Evaluate preconditions for GET/HEAD (§13.2.2): returns 'not-modified' for a 304, throws 412 for
 * a failed If-Match / If-Unmodified-Since.
 */
export function checkReadPreconditions(pre: Preconditions, current: StoredDocument, target: { collection: string; id: string }): 'ok' | 'not-modified' {
  if (pre.ifMatch && !ifMatchHolds(pre.ifMatch, current)) {
    throw preconditionFailed('If-Match failed: none of the ETags in If-Match is the current one.', current, target);
  }
  if (!pre.ifMatch && pre.ifUnmodifiedSince !== undefined && lastModifiedSeconds(current) > pre.ifUnmodifiedSince) {
    throw preconditionFailed('If-Unmodified-Since failed: the resource changed after that time.', current, target);
  }
  if (pre.ifNoneMatch) return ifNoneMatchHolds(pre.ifNoneMatch, current) ? 'ok' : 'not-modified';
  if (pre.ifModifiedSince !== undefined && lastModifiedSeconds(current) <= pre.ifModifiedSince) return 'not-modified';
  return 'ok';
}

function preconditionFailed(detail: string, current: StoredDocument | undefined, target: { collection: string; id: string }): ProblemError {
  return new ProblemError('precondition-failed', detail, conflictDetails(current, target));
}
