import { findLink } from './link-header.js';
import type { Mutator, RequestFn, UpdateOptions, UpdateResult } from './update.js';
import type { Query, RequestOptions, Result } from './types.js';

/** The fields the server adds to every representation (SPEC §1). */
export interface ServerFields {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A resource as the server returns it: the client's fields plus the server-managed ones. */
export type Doc<T> = T & ServerFields;

/** One page of a collection (SPEC §2): the items and the cursor of the next page, or null. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/**
 * An RFC 7396 merge patch of `T`: every field optional, `null` removes it, objects merge
 * recursively, arrays are replaced whole.
 */
export type MergePatch<T> = {
  [K in keyof T]?: (T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? MergePatch<T[K]> : T[K]) | null;
};

/** Call options without the body, which the method takes as an argument. */
export type CallOptions = Omit<RequestOptions, 'body'>;

/** The typed view of one collection, from `client.resource<T>('name')`. */
export interface ResourceClient<T extends object> {
  get(id: string, options?: CallOptions): Promise<Result<Doc<T>>>;
  /** Pages of the collection, following `Link: rel="next"` (or the body's `next` cursor); stops after a failed page. */
  list(query?: Query, options?: CallOptions): AsyncIterable<Result<Page<Doc<T>>>>;
  /** Every item of every page, or the first failure. */
  listAll(query?: Query, options?: CallOptions): Promise<Result<Array<Doc<T>>>>;
  /** POST: the server assigns the id. Carries a generated Idempotency-Key unless told otherwise. */
  create(doc: T, options?: CallOptions): Promise<Result<Doc<T>>>;
  /** PUT: replaces the whole document (server-managed fields may be sent back as read). */
  replace(id: string, doc: T & Partial<ServerFields>, options?: CallOptions): Promise<Result<Doc<T>>>;
  /** PATCH with `application/merge-patch+json` (RFC 7396). */
  patch(id: string, mergePatch: MergePatch<T>, options?: CallOptions): Promise<Result<Doc<T>>>;
  remove(id: string, options?: CallOptions): Promise<Result<undefined>>;
  /** Read–modify–write with If-Match and three-way merge; see `update()`. */
  update(id: string, mutate: Mutator<Doc<T>>, options?: UpdateOptions): Promise<UpdateResult<Doc<T>>>;
}

/** The resource-level operations `createResource` builds on. */
export interface ResourceBackend {
  request: RequestFn;
  update<T extends object>(path: string, mutate: Mutator<T>, options?: UpdateOptions): Promise<UpdateResult<T>>;
  /** Resolve a path to the absolute URL it is sent to (Link targets resolve against it). */
  url(path: string, query?: Query): string;
}

/** Build the typed view of the collection at `name`. */
export function createResource<T extends object>(backend: ResourceBackend, name: string): ResourceClient<T> {
  const collection = name.replace(/^\/+|\/+$/g, '');
  const item = (id: string): string => `${collection}/${encodeURIComponent(id)}`;
  const { request } = backend;

  async function* list(query?: Query, options: CallOptions = {}): AsyncGenerator<Result<Page<Doc<T>>>> {
    let url: string | undefined = backend.url(collection, query);
    while (url !== undefined) {
      const page: Result<Page<Doc<T>>> = await request<Page<Doc<T>>>('GET', url, options);
      yield page;
      if (!page.ok) return;
      url = findLink(page.headers.get('link'), 'next', url) ?? cursorUrl(url, page.data?.next);
    }
  }

  return {
    get: (id, options = {}) => request('GET', item(id), options),
    list,
    async listAll(query, options) {
      const all: Array<Doc<T>> = [];
      let last: Result<Page<Doc<T>>> | undefined;
      for await (const page of list(query, options)) {
        if (!page.ok) return page;
        all.push(...page.data.items);
        last = page;
      }
      if (last === undefined) throw new Error('unreachable: list() yields at least one page');
      return { ...last, data: all };
    },
    create: (doc, options = {}) => request('POST', collection, { ...options, body: doc }),
    replace: (id, doc, options = {}) => request('PUT', item(id), { ...options, body: doc }),
    patch: (id, mergePatch, options = {}) =>
      request('PATCH', item(id), { contentType: 'application/merge-patch+json', ...options, body: mergePatch }),
    remove: (id, options = {}) => request('DELETE', item(id), options),
    update: (id, mutate, options) => backend.update<Doc<T>>(item(id), mutate, options),
  };
}

/** The next page's URL from the body's cursor, when the server sent no Link header. */
function cursorUrl(current: string, next: string | null | undefined): string | undefined {
  if (typeof next !== 'string' || next.length === 0) return undefined;
  const url = new URL(current);
  url.searchParams.set('cursor', next);
  return url.toString();
}
