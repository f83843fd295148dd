import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createEngine, type Engine } from '../engine/create-engine.js';
import type { DispatcherOptions } from '../engine/effects-dispatcher.js';
import type { IdemConfig } from '../engine/types.js';
import { describeDatabase, isPostgresUrl, openStore, parseSqliteUrl } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createServer } from './create-server.js';
import { loadConfig } from './load-config.js';
import type { ServerOptions } from './server-options.js';

export interface ServeOptions extends Partial<ServerOptions> {
  port?: number;
  /** `sqlite:PATH` or `postgres://…`. */
  db?: string;
  /** A config file; the example API when absent. */
  configPath?: string;
  /** Or the declarations themselves. */
  config?: IdemConfig;
  historyLimit?: number;
  /** Where the demo payment service keeps its ledger; default beside the SQLite file. */
  paymentsDb?: string;
  effects?: DispatcherOptions;
}

/** A running idem server. */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  config: IdemConfig;
  databaseDescription: string;
  /** Stop accepting, finish in-flight requests and deliveries under way, close the store. */
  close(): Promise<void>;
}

export const DEFAULT_DB = 'sqlite:./data/idem.db';

/** Open the store, build engine and server, listen, and start delivering effects. */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const config = options.config ?? (await loadConfig(options.configPath));
  const db = options.db ?? DEFAULT_DB;
  const store = await openStore(db);
  const engine = createEngine({
    resources: config.resources,
    store,
    ...(options.idempotencyTtlMs !== undefined && { idempotencyTtlMs: options.idempotencyTtlMs }),
    ...(options.historyLimit !== undefined && { historyLimit: options.historyLimit }),
    ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
    ...(options.effects !== undefined && { effects: options.effects }),
  });
  const host = options.host ?? '127.0.0.1';
  const app = await createServer(engine, {
    ...options,
    host,
    demoPaymentsDb: config.demoPayments ? (options.paymentsDb ?? defaultPaymentsDb(db)) : undefined,
  });
  try {
    await app.listen({ port: options.port ?? 3000, host });
  } catch (error) {
    await engine.stop();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  engine.startEffects(url);
  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    engine,
    store,
    config,
    databaseDescription: describeDatabase(db),
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await engine.stop();
        await store.close();
      })()),
  };
}

function defaultPaymentsDb(db: string): string {
  if (isPostgresUrl(db)) return './data/demo-payments.db';
  const { path } = parseSqliteUrl(db);
  return path === ':memory:' ? ':memory:' : join(dirname(path), 'demo-payments.db');
}
