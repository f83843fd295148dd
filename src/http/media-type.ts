/**
 * Request media types (RFC 9110 §8.3). Only the type/subtype matters to idem; parameters
 * such as `charset=utf-8` are accepted and ignored (JSON is UTF-8 by definition, RFC 8259 §8.1).
 */

/** The lower-cased `type/subtype` of a Content-Type value, or undefined when absent or malformed. */
export function essence(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const value = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(value) ? value : undefined;
}

/** `application/json` or any `application/*+json` type (RFC 6839 §3.1). */
export function isJson(contentType: string | undefined): boolean {
  const type = essence(contentType);
  return type === 'application/json' || (type !== undefined && type.startsWith('application/') && type.endsWith('+json'));
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
/** Accept-Patch (RFC 5789 §3.1) value: the patch formats idem understands. */
export const ACCEPT_PATCH = `${MERGE_PATCH}, ${JSON_PATCH}`;
