import type { Engine } from '../../engine/create-engine.js';
import type { FetchLike } from '../types.js';

/**
 * A `fetch` that calls the engine in process (DESIGN: "the client accepts a fetch so it can
 * be tested against the engine"): the request becomes an EngineRequest, the EngineResponse a
 * real `Response`. No socket, so failures here are the engine's or the client's own.
 */
export function engineFetch(engine: Engine): FetchLike {
  return async (input, init) => {
    const url = new URL(input);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    init.signal?.throwIfAborted();
    const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : undefined;
    const out = await engine.handle({ method: init.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), headers, body });
    const nullBody = out.status === 204 || out.status === 304 || out.body === undefined;
    return new Response(nullBody ? null : out.body, { status: out.status, headers: out.headers });
  };
}
