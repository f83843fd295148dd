import { buildCall } from './build-call.js';
import { createResource, type ResourceClient } from './resource.js';
import { send } from './transport.js';
import type { ClientOptions, RequestOptions, Result } from './types.js';
import { update, type Mutator, type UpdateOptions, type UpdateResult } from './update.js';
import { resolveUrl } from './url.js';

/** Call options without the body, which the method takes as an argument. */
type BodylessOptions = Omit<RequestOptions, 'body'>;

/** An HTTP JSON client whose calls resolve to Results and retry only what is safe to retry. */
export interface Client {
  /** Any method. `path` is relative to `baseUrl`, or an absolute URL. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<Result<T>>;
  get<T = unknown>(path: string, options?: BodylessOptions): Promise<Result<T>>;
  head(path: string, options?: BodylessOptions): Promise<Result<undefined>>;
  /** Carries a generated Idempotency-Key unless `idempotencyKey: false`. */
  post<T = unknown>(path: string, body: unknown, options?: BodylessOptions): Promise<Result<T>>;
  put<T = unknown>(path: string, body: unknown, options?: BodylessOptions): Promise<Result<T>>;
  /** Sent as `application/merge-patch+json` unless `contentType` says otherwise; carries a generated key like POST. */
  patch<T = unknown>(path: string, body: unknown, options?: BodylessOptions): Promise<Result<T>>;
  delete<T = undefined>(path: string, options?: BodylessOptions): Promise<Result<T>>;
  /** GET, mutate a copy, PUT with If-Match; merge and retry after a 412. See update.ts. */
  update<T extends object>(path: string, mutate: Mutator<T>, options?: UpdateOptions): Promise<UpdateResult<T>>;
  /** The typed view of one collection. */
  resource<T extends object>(name: string): ResourceClient<T>;
}

/**
 * Create a client. It depends on nothing but `fetch` (the global one, or `options.fetch`,
 * so tests can drive a server in process), and runs in Node 20+ and browsers.
 */
export function createClient(options: ClientOptions): Client {
  new URL(options.baseUrl); // fail fast, with the URL parser's own message, on a bad base URL
  // async, so a programming error in the options (bad key, weak If-Match) rejects instead of throwing synchronously
  const request = async <T>(method: string, path: string, callOptions: RequestOptions = {}): Promise<Result<T>> =>
    send<T>(buildCall(options, method.toUpperCase(), path, callOptions));
  const client: Client = {
    request,
    get: (path, o = {}) => request('GET', path, o),
    head: (path, o = {}) => request('HEAD', path, o),
    post: (path, body, o = {}) => request('POST', path, { ...o, body }),
    put: (path, body, o = {}) => request('PUT', path, { ...o, body }),
    patch: (path, body, o = {}) => request('PATCH', path, { contentType: 'application/merge-patch+json', ...o, body }),
    delete: (path, o = {}) => request('DELETE', path, o),
    update: (path, mutate, o) => update(request, path, mutate, o),
    resource: (name) => createResource(
      { request, update: client.update, url: (path, query) => resolveUrl(options.baseUrl, path, query) },
      name,
    ),
  };
  return client;
}
