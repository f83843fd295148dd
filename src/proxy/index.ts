import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../store/store.js';
import type { ProxyContext } from './context.js';
import { handleRequest } from './handler.js';
import { DEFAULT_DB, openDb } from './open-db.js';
import { resolveProxyOptions, type ProxyOptions } from './options.js';

export type { ProxyOptions } from './options.js';
export { classifyUpstreamStatus, type UpstreamOutcome } from './outcome-policy.js';
export { principalOf } from './principal.js';
export { resolveKey, type ResolveAction } from './resolve.js';

/** A running proxy. */
export interface RunningProxy {
  /** `http://host:port` the proxy listens on. */
  url: string;
  /** The key store in use. */
  store: Store;
  /** Stop accepting, finish nothing further, close the store if the proxy opened it. */
  close(): Promise<void>;
}

/** How often expired keys are pruned (SPEC §4: keys are kept for the retention period, then pruned). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Start an Idempotency-Key proxy in front of `options.target` (docs/PROXY.md).
 * `startProxy({ target: 'http://127.0.0.1:8080', db: 'sqlite:/tmp/keys.sqlite' })`
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const resolved = resolveProxyOptions(options);
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await openDb(options.db ?? DEFAULT_DB));
  // keepAlive reuses upstream connections (the proxy's overhead is then one hop, not a
  // handshake). Idle sockets are dropped after 4 s, before common server keep-alive timeouts
  // (Node: 5 s), so a request rarely lands on a socket the upstream is closing — which would
  // be a reset after sending, an `unknown` outcome.
  const agent = new Agent({ keepAlive: true, timeout: 4000 });
  const ctx: ProxyContext = { options: resolved, store, agent };
  const server = createServer((req, res) => handleRequest(ctx, req, res));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolveListen());
  });
  const prune = (): void => {
    store.pruneIdempotency(Date.now()).catch((error: unknown) => resolved.log(`idem proxy: pruning keys failed: ${(error as Error).message}`));
  };
  const pruner = setInterval(prune, Math.min(PRUNE_EVERY_MS, resolved.retentionMs));
  pruner.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  resolved.log(`idem proxy listening on ${url}, forwarding to ${resolved.target.origin}${resolved.target.pathname.replace(/\/$/, '')}`);
  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    close: () => {
      closing ??= (async () => {
        clearInterval(pruner);
        // Let requests in progress finish (their keys would otherwise be left `running`);
        // each is bounded by the upstream timeout, after which connections are cut.
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), resolved.timeoutMs + 1000).unref();
        });
        agent.destroy();
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}
