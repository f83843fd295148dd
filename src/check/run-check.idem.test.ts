import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../server/test-support/example-server.js';
import { runCheck } from './run-check.js';
import type { CheckReport } from './types.js';

/**
 * idem check against idem's own example API (real server, real socket, temp SQLite file):
 * the server that implements SPEC.md must pass every contract the checker knows.
 */

let server: ExampleServer;

beforeAll(async () => {
  server = await startExampleServer();
});

afterAll(async () => {
  await server?.close();
});

function verdicts(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.verdict]));
}

async function listing(path: string): Promise<unknown[]> {
  const page = (await (await fetch(`${server.url}${path}`)).json()) as { items: unknown[] };
  return page.items;
}

describe('idem check against the idem example server', () => {
  it('customers (server ids): every one of the 24 checks passes and everything created is deleted', async () => {
    const report = await runCheck({ url: `${server.url}/customers`, sample: { name: 'Ann', age: 42, city: 'Oslo' } });
    const notPassing = report.results.filter((r) => r.verdict !== 'pass').map((r) => `${r.id}: ${r.verdict} — ${r.summary}`);
    expect(notPassing).toEqual([]);
    expect(report.summary).toEqual({ total: 24, pass: 24, fail: 0, notApplicable: 0, mustFail: 0 });
    expect(report.ok).toBe(true);
    expect(report.cleanup.every((c) => c.ok)).toBe(true);
    expect(await listing('/customers')).toEqual([]);
  });

  it('customers: the stale If-Match is a real earlier ETag, answered 412, and concurrent same-key requests created one resource', async () => {
    const report = await runCheck({ url: `${server.url}/customers`, sample: { name: 'Bo', age: 7, city: 'Rome' } });
    const stale = report.results.find((r) => r.id === 'if-match-stale-412');
    expect(stale?.summary).toMatch(/^412 Precondition Failed for If-Match: "[^"]+" \(current "[^"]+"\), and the resource is unchanged\.$/);
    const concurrent = report.results.find((r) => r.id === 'idempotency-key-concurrent');
    expect(concurrent?.verdict).toBe('pass');
    // Which of replay or 409 the others get depends on timing; that exactly one was created does not.
    expect(concurrent?.summary).toMatch(/^One resource was created; the other requests replayed it or got 409 \(201(, (201 \(replayed\)|409))+\)\.$/);
  });

  it('flights (client ids: PUT /flights/{id} creates): everything passes; full replacement is n/a as both fields are required', async () => {
    const report = await runCheck({ url: `${server.url}/flights`, sample: { status: 'ontime', gate: 'B12' }, clientIds: true });
    const v = verdicts(report);
    expect(v['put-creates']).toBe('pass');
    expect(v['post-creates']).toBeUndefined();
    expect(v['put-replaces']).toBe('n/a');
    const others = report.results.filter((r) => r.id !== 'put-replaces' && r.verdict !== 'pass').map((r) => `${r.id}: ${r.summary}`);
    expect(others).toEqual([]);
    // POST /flights is 405 here, and its Allow header was judged.
    expect(report.results.find((r) => r.id === '405-has-allow')?.summary).toBe('Every 405 (2) carries Allow.');
    expect(report.ok).toBe(true);
    expect(await listing('/flights')).toEqual([]);
  });

  it('with --openapi it finds all six collections, with their id policies, and nothing fails', async () => {
    const report = await runCheck({ url: server.url, openapi: `${server.url}/openapi.json` });
    expect(report.collections.map((c) => c.slice(server.url.length)).sort()).toEqual(['/accounts', '/customers', '/flights', '/orders', '/tickets', '/users']);
    const failures = report.results.filter((r) => r.verdict === 'fail').map((r) => `${r.collection} ${r.id}: ${r.summary}`);
    expect(failures).toEqual([]);
    // flights is the client-id collection; accounts (ids by both) is created by POST.
    const creators = report.results.filter((r) => r.id === 'put-creates').map((r) => r.collection.slice(server.url.length));
    expect(creators).toEqual(['/flights']);
    // accounts requires If-Match (428 without): the checker adds it and still judges every write.
    const accounts = report.results.filter((r) => r.collection.endsWith('/accounts'));
    expect(accounts.find((r) => r.id === 'put-idempotent')?.verdict).toBe('pass');
    expect(accounts.find((r) => r.id === 'delete-then-404')?.verdict).toBe('pass');
    expect(report.ok).toBe(true);
    expect(report.cleanup.every((c) => c.ok)).toBe(true);
    for (const path of ['/users', '/customers', '/flights', '/accounts', '/tickets', '/orders']) expect(await listing(path), path).toEqual([]);
  });
});
