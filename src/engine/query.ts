import { ProblemError } from '../http/problem.js';
import type { FieldFilter } from '../store/store.js';
import type { ResourceDeclaration } from './types.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/** A parsed collection or history query. */
export interface PageQuery {
  limit: number;
  /** The decoded cursor position, opaque to clients. */
  position: string | number | undefined;
  filters: FieldFilter[];
  params: URLSearchParams;
}

type ScalarType = 'string' | 'integer' | 'number' | 'boolean';

/** The top-level fields of a schema that can be filtered on, with their scalar type. */
export function filterableFields(resource: ResourceDeclaration): Map<string, ScalarType> {
  const out = new Map<string, ScalarType>();
  const properties = (resource.schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(properties)) {
    const type = schema['type'];
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') out.set(name, type);
    else if (type === undefined && Array.isArray(schema['enum']) && schema['enum'].every((v) => typeof v === 'string')) out.set(name, 'string');
  }
  return out;
}

/**
 * Parse `limit`, `cursor` and equality filters. Anything the server would otherwise have to
 * guess at — an unknown parameter, a repeated one, a value of the wrong type — is 400, so a
 * typo never silently returns everything.
 */
export function parsePageQuery(query: string, filterable: Map<string, ScalarType> | undefined): PageQuery {
  const params = new URLSearchParams(query);
  const result: PageQuery = { limit: DEFAULT_LIMIT, position: undefined, filters: [], params };
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (values.length > 1) throw invalid(name, `"${name}" is given ${values.length} times; give it once.`);
    const value = values[0] as string;
    if (name === 'limit') result.limit = parseLimit(value);
    else if (name === 'cursor') result.position = decodeCursor(value);
    else if (filterable) result.filters.push(parseFilter(name, value, filterable));
    else throw invalid(name, `Unknown query parameter "${name}"; only limit and cursor are accepted here.`);
  }
  return result;
}

function parseLimit(value: string): number {
  const n = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) throw invalid('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}; got ${JSON.stringify(value)}.`);
  return n;
}

function parseFilter(name: string, raw: string, filterable: Map<string, ScalarType>): FieldFilter {
  const type = filterable.get(name);
  if (!type) {
    const known = [...filterable.keys()].join(', ') || 'none';
    throw invalid(name, `"${name}" is not a filter here: filter by equality on a top-level scalar field (${known}), or use limit and cursor.`);
  }
  if (type === 'string') return { field: name, value: raw };
  if (type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw invalid(name, `${name} is a boolean: use ${name}=true or ${name}=false.`);
    return { field: name, value: raw === 'true' };
  }
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw invalid(name, `${name} is ${type === 'integer' ? 'an integer' : 'a number'}; got ${JSON.stringify(raw)}.`);
  return { field: name, value: n };
}

/** Cursors are opaque: base64url JSON of the last position, so clients cannot build them. */
export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

function decodeCursor(cursor: string): string | number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof decoded.p === 'string' || typeof decoded.p === 'number') return decoded.p;
  } catch {
    // fall through to the problem below
  }
  throw invalid('cursor', 'cursor is not one this server issued; use the "next" value of the previous page, or leave it out to start at the first page.');
}

function invalid(parameter: string, detail: string): ProblemError {
  return new ProblemError('invalid-query', detail, { errors: [{ pointer: `#/query/${parameter}`, message: detail }], parameter });
}

/** The URL of the next page: the same query with the new cursor. */
export function nextPageUrl(path: string, params: URLSearchParams, cursor: string): string {
  const next = new URLSearchParams(params);
  next.set('cursor', cursor);
  return `${path}?${next.toString()}`;
}
