import { hash } from 'node:crypto';

/**
 * Entity tags (RFC 9110 §8.8.3) and their comparison (§8.8.3.2).
 *
 *   entity-tag = [ weak ] opaque-tag
 *   weak       = %s"W/"
 *   opaque-tag = DQUOTE *etagc DQUOTE
 */

/** A parsed entity-tag. `opaque` keeps the quotes, as it is compared byte for byte. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** The strong ETag of a representation: a hash of its exact bytes, so it changes exactly when they do. */
export function strongEtag(representation: string): string {
  return `"${hash('sha1', representation, 'base64url')}"`;
}

/** A parsed If-Match / If-None-Match field value: `*` or a list of entity-tags. */
export type EtagCondition = { any: true } | { any: false; tags: EntityTag[] };

/**
 * Parse an If-Match or If-None-Match field value (RFC 9110 §13.1.1, §13.1.2):
 * `"*" / #entity-tag`. Returns undefined when the value is not valid, so the caller can
 * answer 400 instead of guessing.
 */
export function parseEtagCondition(value: string): EtagCondition | undefined {
  const trimmed = value.trim();
  if (trimmed === '*') return { any: true };
  const tags: EntityTag[] = [];
  let rest = trimmed;
  while (rest.length > 0) {
    const match = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,\s*|$)/.exec(rest);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] as string });
    rest = rest.slice(match[0].length);
  }
  return tags.length > 0 ? { any: false, tags } : undefined;
}

/** Strong comparison (§8.8.3.2): both strong, same opaque-tag. A weak tag never matches If-Match. */
export function strongMatch(tag: EntityTag, current: string): boolean {
  return !tag.weak && tag.opaque === current;
}

/** Weak comparison (§8.8.3.2): same opaque-tag, weakness ignored. Used by If-None-Match. */
export function weakMatch(tag: EntityTag, current: string): boolean {
  return tag.opaque === current || `W/${tag.opaque}` === current;
}
