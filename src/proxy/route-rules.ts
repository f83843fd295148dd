/**
 * Which requests the proxy guards, and on which it requires an Idempotency-Key.
 *
 * A rule is `METHOD PATTERN`, e.g. `POST /orders`, `PATCH /accounts/*`, `* /payments/**`.
 * In a pattern `*` matches one path segment (no `/`), `**` matches the rest of the path
 * (any number of segments, including none). Methods compare case-insensitively; `*` is any method.
 * Patterns match the request path only (not the query), compared as received (percent-encoded).
 */

/** One parsed rule. */
export interface RouteRule {
  /** Upper-case method, or `*`. */
  method: string;
  /** The pattern as written, for messages. */
  pattern: string;
  regex: RegExp;
}

/** The default guarded routes: the methods that are not idempotent by definition (RFC 9110 §9.2.2). */
export const DEFAULT_GUARD_RULES = ['POST /**', 'PATCH /**'];

/** Parse `METHOD PATTERN`; throws an Error saying what a rule looks like when it is malformed. */
export function parseRouteRule(text: string): RouteRule {
  const match = /^\s*([A-Za-z]+|\*)\s+(\/\S*)\s*$/.exec(text);
  if (!match) {
    throw new Error(`Route rule ${JSON.stringify(text)} is not "METHOD /path-pattern" (for example "POST /orders/**" or "* /payments").`);
  }
  const method = (match[1] as string).toUpperCase();
  const pattern = match[2] as string;
  return { method, pattern, regex: patternToRegex(pattern) };
}

function patternToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      // `/**` at a segment boundary also matches the bare parent path: `/orders/**` matches `/orders`.
      if (source.endsWith('/')) source = `${source.slice(0, -1)}(?:/.*)?`;
      else source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether any rule matches this method and path. */
export function matchesAny(rules: readonly RouteRule[], method: string, path: string): boolean {
  const m = method.toUpperCase();
  return rules.some((r) => (r.method === '*' || r.method === m) && r.regex.test(path));
}
