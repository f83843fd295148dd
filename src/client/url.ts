import type { Query } from './types.js';

/**
 * Resolve a call's target against the base URL. An absolute URL (for example a `Link` or
 * `Location` the server sent) is used as is; a path is appended to the base URL's path, so
 * `baseUrl: 'https://h/api'` and `'users/1'` or `'/users/1'` both give `https://h/api/users/1`.
 */
export function resolveUrl(baseUrl: string, path: string, query?: Query): string {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(path) ? new URL(path) : new URL(joinPath(baseUrl, path));
  if (query !== undefined) {
    const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
    for (const [name, value] of entries) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
  }
  return url.toString();
}

function joinPath(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const [pathPart, search] = splitOnce(path, '?');
  const basePath = base.pathname.replace(/\/+$/, '');
  base.pathname = `${basePath}/${pathPart.replace(/^\/+/, '')}`;
  base.search = search === undefined ? '' : `?${search}`;
  return base.toString();
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}
