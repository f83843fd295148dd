import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './test-support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'idem-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  key: string;
  body: string;
  status: number | 'lost';
  location?: string | undefined;
}

/** Keyed POSTs from several workers until the server dies; every outcome recorded. */
async function writeLoad(url: string, workers: number, signal: AbortSignal): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!signal.aborted) {
        const key = `load-${n++}`;
        const body = JSON.stringify({ name: key, city: 'Oslo' });
        try {
          const res = await fetch(`${url}/customers`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `"${key}"` }, body });
          outcomes.push({ key, body, status: res.status, location: res.headers.get('location') ?? undefined });
          await res.arrayBuffer();
        } catch {
          outcomes.push({ key, body, status: 'lost' });
          return;
        }
      }
    }),
  );
  return outcomes;
}

describe('durability (SPEC §3, §4)', () => {
  it('SIGKILL during a write load: every acknowledged write survives, the database opens cleanly, and no key is left stuck', async () => {
    const db = join(dir, 'kill.db');
    const first = await startServerProcess(['--db', `sqlite:${db}`]);
    const stop = new AbortController();
    const load = writeLoad(first.url, 8, stop.signal);
    await new Promise((r) => setTimeout(r, 1500));
    await first.kill('SIGKILL');
    stop.abort();
    const outcomes = await load;
    const acked = outcomes.filter((o) => o.status === 201);
    expect(acked.length).toBeGreaterThan(20);
    expect(outcomes.every((o) => o.status === 201 || o.status === 'lost')).toBe(true);

    // The file itself: intact, and holding every acknowledged write.
    const sqlite = new Database(db);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set((sqlite.prepare(`SELECT id FROM documents WHERE collection = 'customers'`).all() as Array<{ id: string }>).map((r) => r.id));
    sqlite.close();
    for (const o of acked) expect(stored.has((o.location as string).split('/').pop() as string), o.key).toBe(true);

    // After a restart every lost request retried with its key either replays or runs afresh — never stuck.
    const second = await startServerProcess(['--db', `sqlite:${db}`]);
    try {
      const lost = outcomes.filter((o) => o.status === 'lost');
      for (const o of lost) {
        const res = await fetch(`${second.url}/customers`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `"${o.key}"` }, body: o.body });
        expect(res.status, o.key).toBe(201);
      }
      // One customer per key, never two.
      const names: string[] = [];
      let next: string | null = '/customers?limit=1000';
      while (next) {
        const page = (await (await fetch(`${second.url}${next}`)).json()) as { items: Array<{ name: string }>; next: string | null };
        names.push(...page.items.map((c) => c.name));
        next = page.next ? `/customers?limit=1000&cursor=${page.next}` : null;
      }
      expect(new Set(names).size).toBe(names.length);
      expect(names.length).toBe(acked.length + lost.length);
    } finally {
      await second.kill();
    }
  });
});
