import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';

/*
 * update() against small servers that send only weak ETags, or strong ones: what goes into
 * If-Match is the point, so these servers record every request they get.
 */
interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A one-document API whose GET answers `doc` with `etag`, and whose PUT echoes the body back. */
async function oneDocument(doc: Record<string, unknown>, etag: string): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      const out = req.method === 'PUT' ? body : JSON.stringify(doc);
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(out);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('update() preconditions', () => {
  it('sends the strong ETag it read as If-Match', async () => {
    const { url, seen } = await oneDocument({ id: 'a', version: 4, name: 'x' }, '"strong-1"');
    const result = await createClient({ baseUrl: url }).update<{ name: string }>('/things/a', (d) => void (d.name = 'y'));
    expect(result.ok).toBe(true);
    expect(seen.map((s) => [s.method, s.headers['if-match']])).toEqual([['GET', undefined], ['PUT', '"strong-1"']]);
  });

  it('never sends a weak ETag in If-Match: the body version guards the PUT instead', async () => {
    const { url, seen } = await oneDocument({ id: 'a', version: 4, name: 'x' }, 'W/"weak-1"');
    const result = await createClient({ baseUrl: url }).update<{ name: string }>('/things/a', (d) => void (d.name = 'y'));
    expect(result.ok).toBe(true);
    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.headers['if-match']).toBeUndefined();
    expect(JSON.parse(put?.body ?? '{}')).toMatchObject({ version: 4, name: 'y' });
  });

  it('with neither a strong ETag nor a version it refuses to write blind, and sends no PUT', async () => {
    const { url, seen } = await oneDocument({ name: 'x' }, 'W/"weak-1"');
    const result = await createClient({ baseUrl: url }).update<{ name: string }>('/things/a', (d) => void (d.name = 'y'));
    expect(result).toMatchObject({ ok: false, kind: 'precondition-required' });
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });

  it('an explicit weak If-Match is a programming error, caught before anything is sent', async () => {
    const { url, seen } = await oneDocument({ name: 'x' }, '"s"');
    await expect(createClient({ baseUrl: url }).put('/things/a', { name: 'y' }, { ifMatch: 'W/"s"' })).rejects.toThrow(TypeError);
    expect(seen).toHaveLength(0);
  });
});
