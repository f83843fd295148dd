import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/create-engine.js';
import { engineHarness, type EngineHarness } from '../../engine/test-support/engine-harness.js';
import { createServer } from '../create-server.js';
import { loggerWithRedaction } from '../server-options.js';
import { API_KEYS, SECRETS } from './test-keys.js';

/** SPEC §7: secrets are never logged; every log line of a request carries its id. */
let harness: EngineHarness;
let engine: Engine;
beforeAll(async () => {
  harness = await engineHarness();
  engine = harness.engine;
});
afterAll(async () => harness?.close());

describe('logs', () => {
  it('never contain an API key, even when a serializer logs the request headers', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    // A serializer that logs every header: the worst case an operator could configure.
    const logger = loggerWithRedaction({ stream, level: 'info', serializers: { req: (req: { method: string; url: string; headers: unknown }) => ({ method: req.method, url: req.url, headers: req.headers }) } });
    const app = await createServer(engine, { host: '127.0.0.1', apiKeys: API_KEYS, logger: logger as Record<string, unknown> });
    try {
      const good = await app.inject({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${SECRETS.alice}` } });
      const bad = await app.inject({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${SECRETS.alice}-typo` } });
      expect([good.statusCode, bad.statusCode]).toEqual([200, 401]);
    } finally {
      await app.close();
    }
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(text).toContain('[Redacted]');
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'incoming request');
    expect(requestLines.length).toBe(2);
    for (const line of requestLines) expect(line['reqId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the caller\'s own redact paths and adds the Authorization header', () => {
    expect(loggerWithRedaction(false)).toBe(false);
    expect(loggerWithRedaction(true)).toMatchObject({ redact: expect.arrayContaining(['req.headers.authorization']) });
    const merged = loggerWithRedaction({ redact: { paths: ['req.headers.cookie'], censor: '***' } }) as { redact: { paths: string[]; censor: string } };
    expect(merged.redact.censor).toBe('***');
    expect(merged.redact.paths).toEqual(expect.arrayContaining(['req.headers.cookie', 'req.headers.authorization']));
  });
});
