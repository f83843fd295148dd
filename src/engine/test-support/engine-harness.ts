import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineOptions } from '../create-engine.js';
import type { IdemConfig, Principal } from '../types.js';
import { EXAMPLE_CONFIG_PATH } from '../../server/load-config.js';
import { openSqliteStore } from '../../store/sqlite.js';

/** A response as a test reads it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  text: string | undefined;
  /** The parsed body, when there is one. */
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  raw?: string | Uint8Array;
  headers?: Record<string, string | string[]>;
  principal?: Principal;
}

export interface EngineHarness {
  engine: Engine;
  call(method: string, path: string, options?: CallOptions): Promise<TestResponse>;
  /** POST a document and return its representation (fails the test on anything but 201). */
  create(collection: string, doc: unknown, headers?: Record<string, string>): Promise<any>;
  close(): Promise<void>;
}

/** The example API's declarations. */
export function exampleConfig(): IdemConfig {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as IdemConfig;
}

/**
 * Drive an engine in process over a real SQLite file in a temp directory — the same request
 * and response objects the Fastify adapter uses, without a socket.
 */
export async function engineHarness(options: Partial<EngineOptions> = {}): Promise<EngineHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'idem-engine-'));
  const store = await openSqliteStore(join(dir, 'idem.db'));
  const engine = createEngine({ resources: exampleConfig().resources, store, ...options });
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<TestResponse> => {
    const [p, q] = path.split('?');
    const headers: Record<string, string | string[]> = {};
    if (o.body !== undefined || o.raw !== undefined) headers['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = v;
    const raw = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const response = await engine.handle({
      method,
      path: p as string,
      query: q ?? '',
      headers,
      body: raw === undefined ? undefined : typeof raw === 'string' ? Buffer.from(raw) : raw,
      principal: o.principal,
    });
    return { status: response.status, headers: response.headers, text: response.body, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return {
    engine,
    call,
    async create(collection, doc, headers = {}) {
      const res = await call('POST', `/${collection}`, { body: doc, headers });
      if (res.status !== 201) throw new Error(`create ${collection} failed: ${res.status} ${res.text}`);
      return res.json;
    },
    async close() {
      await engine.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
