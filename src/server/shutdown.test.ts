import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './test-support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'idem-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('SIGTERM stops accepting, finishes in-flight requests, and exits 0 with every acknowledged write stored', async () => {
    const db = join(dir, 'term.db');
    const server = await startServerProcess(['--db', `sqlite:${db}`]);
    const send = (i: number) =>
      fetch(`${server.url}/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `c${i}` }) }).then(
        async (res) => ({ status: res.status, location: res.headers.get('location'), body: await res.text() }),
        () => ({ status: 0, location: null, body: '' }),
      );
    const first = send(0);
    const inFlight = Array.from({ length: 30 }, (_, i) => send(i + 1));
    await first;
    server.child.kill('SIGTERM');
    const results = [await first, ...(await Promise.all(inFlight))];
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: finishing in-flight requests/);
    // A request answered was answered completely; none got a 5xx.
    for (const r of results) expect([0, 201, 503]).toContain(r.status);
    const acknowledged = results.filter((r) => r.status === 201);
    expect(acknowledged.length).toBeGreaterThan(0);
    const sqlite = new Database(db, { readonly: true });
    const stored = new Set((sqlite.prepare(`SELECT id FROM documents WHERE collection = 'customers'`).all() as Array<{ id: string }>).map((r) => r.id));
    sqlite.close();
    for (const r of acknowledged) expect(stored.has((r.location as string).split('/').pop() as string)).toBe(true);
  });
});
