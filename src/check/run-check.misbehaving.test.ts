import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from './run-check.js';
import type { CheckReport } from './types.js';

/**
 * A deliberately broken API on a real socket, for the failures neither idem nor json-server
 * shows: PUT merges and answers 201 every time, malformed JSON crashes into a 500, a 405
 * has no Allow, and a second DELETE is a 500.
 */
function brokenApi(): Server {
  const things = new Map<string, Record<string, unknown>>();
  const deleted = new Set<string>();
  let next = 1;
  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const read = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  };
  return createServer(async (req, res) => {
    const [, collection, id] = (req.url ?? '').split('/');
    if (collection !== 'things') return send(res, 404, { error: 'no' });
    const text = await read(req);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end('SyntaxError');
    }
    if (id === undefined) {
      if (req.method === 'GET') return send(res, 200, [...things.values()]);
      if (req.method === 'POST') {
        const thing = { ...body, id: String(next++) };
        things.set(thing.id, thing);
        return send(res, 201, thing, { location: `/things/${thing.id}` });
      }
      return send(res, 405, { error: 'no' }, { allow: 'GET, POST' });
    }
    const current = things.get(id);
    if (req.method === 'DELETE') {
      if (deleted.has(id)) return send(res, 500, { error: 'already gone' });
      things.delete(id);
      deleted.add(id);
      return send(res, 204);
    }
    if (current === undefined) return send(res, 404, { error: 'no' });
    const etag = `"${Buffer.from(JSON.stringify(current)).toString('base64url').slice(-20)}"`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (req.headers['if-none-match'] === etag) return send(res, 304, undefined, { etag });
      return send(res, 200, current, { etag });
    }
    if (req.method === 'PUT') {
      if (req.headers['if-match'] !== undefined && req.headers['if-match'] !== etag) return send(res, 412, { error: 'stale' });
      if (req.headers['if-none-match'] === '*') return send(res, 412, { error: 'exists' });
      const merged = { ...current, ...body, id };
      things.set(id, merged);
      return send(res, 201, merged);
    }
    return send(res, 405, { error: 'not here' });
  });
}

let server: Server;
let report: CheckReport;

beforeAll(async () => {
  server = brokenApi();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  report = await runCheck({ url: `http://127.0.0.1:${port}/things`, sample: { name: 'Ann', city: 'Oslo' } });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('idem check against a broken API', () => {
  const get = (id: string) => report.results.find((r) => r.id === id);

  it('PUT that merges fails full replacement', () => {
    expect(get('put-replaces')?.verdict).toBe('fail');
    expect(get('put-replaces')?.summary).toMatch(/^After a PUT without "city", "city" is still "Oslo-.+": PUT merged instead of replacing\.$/);
  });

  it('a repeated PUT answered 201 fails idempotency', () => {
    expect(get('put-idempotent')?.verdict).toBe('fail');
    expect(get('put-idempotent')?.summary).toBe('The repeated PUT answered 201 Created although the resource already existed.');
  });

  it('a 405 without Allow fails the MUST of RFC 9110 §15.5.6', () => {
    expect(get('405-has-allow')?.verdict).toBe('fail');
    expect(get('405-has-allow')?.level).toBe('MUST');
    expect(get('405-has-allow')?.summary).toMatch(/^\d+ of \d+ 405 responses have no Allow header\.$/);
  });

  it('malformed JSON that crashes into a 500 fails, and so does the no-5xx check', () => {
    expect(get('malformed-json-4xx')?.summary).toBe('Malformed JSON caused a 500 server error.');
    expect(get('no-5xx')?.verdict).toBe('fail');
  });

  it('a second DELETE that is a 500 fails the idempotency of DELETE', () => {
    expect(get('delete-then-404')?.verdict).toBe('pass');
    expect(get('delete-repeat-same-state')?.summary).toBe('The second DELETE caused a 500 server error.');
  });

  it('the preconditions it does honour pass, and the run fails on MUSTs', () => {
    expect(get('if-match-stale-412')?.verdict).toBe('pass');
    expect(get('if-none-match-star-412')?.verdict).toBe('pass');
    expect(report.ok).toBe(false);
  });
});
