import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/create-engine.js';
import { engineHarness, type EngineHarness } from '../../engine/test-support/engine-harness.js';
import { createServer } from '../create-server.js';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';

/** SPEC §7: "The embedded default runs open on loopback only." */
describe('a server without API keys', () => {
  let server: ExampleServer;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves everyone on loopback as the anonymous admin, and records that principal', async () => {
    const created = await fetch(`${server.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'open', email: 'o@example.com' }) });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') as string;
    const history = (await (await fetch(`${server.url}${location}/versions`)).json()) as { items: Array<{ principal: string }> };
    expect(history.items[0]?.principal).toBe('anonymous');
    expect((await fetch(`${server.url}/_idem/resources`)).status).toBe(200);
  });
});

describe('binding an open server', () => {
  let harness: EngineHarness;
  let engine: Engine;
  beforeAll(async () => {
    harness = await engineHarness();
    engine = harness.engine;
  });
  afterAll(async () => harness?.close());

  it('refuses a non-loopback host without keys', async () => {
    await expect(createServer(engine, { host: '0.0.0.0' })).rejects.toThrow(/refusing to run without API keys on 0\.0\.0\.0/);
  });

  it('allows it with insecureOpen, or with keys', async () => {
    const forced = await createServer(engine, { host: '0.0.0.0', insecureOpen: true });
    await forced.close();
    const keyed = await createServer(engine, { host: '0.0.0.0', apiKeys: 'ops:ops-secret-0123456789:admin' });
    await keyed.close();
  });

  it('refuses to start with a misconfigured key rather than run open', async () => {
    await expect(createServer(engine, { host: '127.0.0.1', apiKeys: 'ops:short:admin' })).rejects.toThrow(/at least 16/);
  });
});
