import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/create-engine.js';
import { buildDocument } from '../engine/representation.js';
import { exampleConfig } from '../engine/test-support/engine-harness.js';
import { REPLAYED_HEADER } from '../idempotency/policy.js';
import { describeStoreContract } from './contract.js';
import { keyRecord } from './contract-fixtures.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { openSqliteStore } from './sqlite.js';
import { withSqliteFile } from './test-support/sqlite-file.js';

// A real SQLite file in a temp directory for every test.
describeStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'idem-sqlite-'));
  const store = await openSqliteStore(join(dir, 'idem.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite schema migrations', () => {
  it('moves idempotency keys written by schema 1 into the rowid table of schema 2, still replayable', async () => {
    await withSqliteFile('idem-sqlite-migrate-', async (path) => {
      const old = new Database(path);
      old.exec(sqliteMigrations[0] as string);
      old.pragma('user_version = 1');
      old.prepare('INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('anonymous', 'k-1', 'fp', 'done', '{"status":201,"headers":{},"body":"{}"}', 1, 2, null);
      old.close();

      const store = await openSqliteStore(path);
      expect(await store.getIdempotency('anonymous', 'k-1')).toMatchObject({ key: 'k-1', fingerprint: 'fp', state: 'done', response: { status: 201 }, expiresAt: 2 });
      await store.close();

      const db = new Database(path, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'idempotency_keys'`).get() as { sql: string }).sql;
      expect(sql).not.toMatch(/WITHOUT ROWID/i);
      // Migration 5 dropped the expiry index again: the pruner walks rowids instead.
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'idempotency_keys_expiry'`).get()).toBeUndefined();
      db.close();
    });
  });
});

describe('sqlite idempotency records of keyed writes', () => {
  /** The example API on `path`, keeping one version per resource. */
  async function openExample(path: string) {
    const store = await openSqliteStore(path);
    const engine = createEngine({ resources: exampleConfig().resources, store, historyLimit: 1 });
    const send = (method: string, url: string, body: object, key?: string) =>
      engine.handle({ method, path: url, query: '', headers: { 'content-type': 'application/json', ...(key && { 'idempotency-key': `"${key}"` }) }, body: Buffer.from(JSON.stringify(body)) });
    return { send, close: async () => (await engine.stop(), await store.close()) };
  }

  /** The key row as stored, read on a connection of its own. */
  function keyRow(path: string, key: string): { response: string; response_body_seq: number | null } {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT response, response_body_seq FROM idempotency_keys WHERE key = ?').get(key) as { response: string; response_body_seq: number | null };
    } finally {
      db.close();
    }
  }

  it('keep no second copy of the representation the write stored in its version, and replay the same bytes after trimming removed that version', async () => {
    await withSqliteFile('idem-sqlite-key-body-', async (path) => {
      const first = await openExample(path);
      const created = await first.send('POST', '/customers', { name: 'Ada Lovelace', city: 'London' }, 'k-1');
      expect(created.status).toBe(201);
      const stored = keyRow(path, 'k-1');
      expect(stored.response_body_seq).not.toBeNull();
      expect(stored.response).not.toContain('Lovelace');

      // Two more versions with a history limit of 1: the POST's version is trimmed away, and
      // the key row gets its own copy of the body first.
      const url = created.headers.location as string;
      for (const name of ['Ada King', 'Augusta Ada King']) expect((await first.send('PUT', url, { name, city: 'London' })).status).toBe(200);
      expect(keyRow(path, 'k-1')).toEqual({ response: expect.stringContaining('Lovelace'), response_body_seq: null });
      await first.close();

      // A new process knows the key only from the file.
      const second = await openExample(path);
      const replayed = await second.send('POST', '/customers', { name: 'Ada Lovelace', city: 'London' }, 'k-1');
      await second.close();
      expect(replayed.status).toBe(201);
      expect(replayed.body).toBe(created.body);
      expect(replayed.headers).toEqual({ ...created.headers, [REPLAYED_HEADER]: 'true' });
    });
  });
});

describe('sqlite idempotency pruning, in write order', () => {
  it('keeps a record that expired after a live one (a shortened retention) until the live one expires', async () => {
    await withSqliteFile('idem-sqlite-prune-', async (path) => {
      const store = await openSqliteStore(path);
      try {
        await store.saveIdempotency(keyRecord('alice', 'expired-first', { expiresAt: 1_000 }));
        await store.saveIdempotency(keyRecord('alice', 'day-long', { expiresAt: 90_000 }));
        await store.saveIdempotency(keyRecord('alice', 'minute-long', { expiresAt: 5_000 }));
        expect(await store.pruneIdempotency(10_000)).toBe(1);
        expect(await store.getIdempotency('alice', 'expired-first')).toBeUndefined();
        // Still stored, and past its expiresAt: the engine runs a request with this key afresh.
        expect(await store.getIdempotency('alice', 'minute-long')).toMatchObject({ expiresAt: 5_000 });
        expect(await store.pruneIdempotency(100_000)).toBe(2);
        expect(await store.listIdempotency(10)).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
});

describe('sqlite schema version', () => {
  it('refuses a file written by a newer idem instead of misreading its rows', async () => {
    await withSqliteFile('idem-sqlite-newer-', async (path) => {
      const newer = new Database(path);
      newer.pragma(`user_version = ${sqliteMigrations.length + 1}`);
      newer.close();
      await expect(openSqliteStore(path)).rejects.toThrow(/written by a newer idem.*Upgrade idem/);
    });
  });
});

describe('sqlite history table', () => {
  it('moves versions written by schema 3 through the rowid table of schema 4 into the chains of schema 6, still listed newest first', async () => {
    await withSqliteFile('idem-sqlite-versions-', async (path) => {
      const old = new Database(path);
      for (const migration of sqliteMigrations.slice(0, 3)) old.exec(migration);
      old.pragma('user_version = 3');
      const insert = old.prepare('INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      // Two resources' versions interleaved, t-1's written out of order: the chain follows version numbers.
      for (const [id, v] of [['t-1', 2], ['t-2', 1], ['t-1', 1], ['t-1', 3], ['t-2', 2]] as const) {
        insert.run('tickets', id, v, v === 1 ? 'create' : 'replace', `{"v":${v}}`, `"e${v}"`, '2026-01-01T00:00:00.000Z', 'anonymous', `r-${v}`, v === 1 ? 'POST' : 'PUT', null);
      }
      const document = old.prepare(`INSERT INTO documents (collection, id, version, etag, created_at, updated_at, deleted, body) VALUES ('tickets', ?, ?, '"e"', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 0, '{}')`);
      document.run('t-1', 3);
      document.run('t-2', 2);
      old.close();

      const store = await openSqliteStore(path);
      expect((await store.listVersions('tickets', 't-1', { beforeVersion: undefined, limit: 10 })).map((v) => [v.version, v.body, v.requestId])).toEqual([
        [3, '{"v":3}', 'r-3'],
        [2, '{"v":2}', 'r-2'],
        [1, '{"v":1}', 'r-1'],
      ]);
      expect((await store.listVersions('tickets', 't-2', { beforeVersion: undefined, limit: 10 })).map((v) => v.version)).toEqual([2, 1]);
      const third = await store.getVersion('tickets', 't-1', 3);
      expect(third).toBeDefined();
      const current = await store.getDocument('tickets', 't-1');
      if (third && current) {
        await store.transaction(async (tx) => {
          await tx.putDocument({ ...current, version: 4 });
          await tx.appendVersion({ ...third, version: 4, requestId: 'r-4' });
        });
      }
      expect((await store.listVersions('tickets', 't-1', { beforeVersion: undefined, limit: 10 })).map((v) => v.requestId)).toEqual(['r-4', 'r-3', 'r-2', 'r-1']);
      await store.close();

      const db = new Database(path, { readonly: true });
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'versions'`).get() as { sql: string }).sql;
      expect(sql).not.toMatch(/WITHOUT ROWID/i);
      db.close();
    });
  });
});

describe('sqlite history chain', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const ticket = (version: number) => buildDocument('tickets', 't-1', { subject: 's', status: 'open' }, version, at, at);
  const version = (v: number) => ({ collection: 'tickets', id: 't-1', version: v, change: 'replace' as const, body: '{}', etag: `"e${v}"`, at, principal: 'anonymous', requestId: `r-${v}`, method: 'PUT', idempotencyKey: null });

  async function writeVersions(store: Awaited<ReturnType<typeof openSqliteStore>>, upTo: number): Promise<void> {
    await store.transaction(async (tx) => {
      for (let v = 1; v <= upTo; v++) {
        await tx.putDocument(ticket(v));
        await tx.appendVersion(version(v));
      }
    });
  }

  it('indexes only every 16th version, and finds versions through that index', async () => {
    await withSqliteFile('idem-sqlite-chain-', async (path) => {
      const store = await openSqliteStore(path);
      await writeVersions(store, 40);
      expect((await store.getVersion('tickets', 't-1', 21))?.requestId).toBe('r-21');
      await store.close();
      const db = new Database(path, { readonly: true });
      const indexed = db.prepare(`SELECT version FROM versions INDEXED BY versions_every_16th WHERE collection = 'tickets' AND id = 't-1' AND version % 16 = 0`).pluck().all();
      expect(indexed).toEqual([16, 32]);
      // The lookup the store runs (sqlite-history.ts) must use the partial index, not scan the table.
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT seq FROM versions WHERE collection = ? AND id = ? AND version % 16 = 0 AND version >= ? ORDER BY version LIMIT 1`).all('tickets', 't-1', 21) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX versions_every_16th/);
      db.close();
    });
  });

  it('survives VACUUM: its links are INTEGER PRIMARY KEYs, which VACUUM keeps', async () => {
    await withSqliteFile('idem-sqlite-chain-vacuum-', async (path) => {
      const store = await openSqliteStore(path);
      await writeVersions(store, 20);
      await store.close();
      const db = new Database(path);
      // Holes below the chain's rows, which a VACUUM without stable keys would renumber away.
      db.exec(`INSERT INTO versions (collection, id, version, change, at, principal, request_id, method) VALUES ('x', 'x', 1, 'create', '${at}', 'a', 'r', 'POST')`);
      db.exec(`DELETE FROM versions WHERE collection = 'x'`);
      db.exec('VACUUM');
      db.close();
      const reopened = await openSqliteStore(path);
      const all = await reopened.listVersions('tickets', 't-1', { beforeVersion: undefined, limit: 100 });
      expect(all.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
      await reopened.close();
    });
  });

  it("ends a chain at a link to a trimmed row, even when another row took that row's number", async () => {
    await withSqliteFile('idem-sqlite-chain-reuse-', async (path) => {
      const store = await openSqliteStore(path);
      const of = (collection: string, id: string, v: number) => ({ ...version(v), collection, id, requestId: `${id}-${v}` });
      const write = (collection: string, id: string, v: number) =>
        store.transaction(async (tx) => {
          await tx.putDocument(buildDocument(collection, id, { subject: 's', status: 'open' }, v, at, at));
          await tx.appendVersion(of(collection, id, v));
        });
      await write('tickets', 'b', 1); // seq 1
      await write('tickets', 'a', 1); // seq 2
      await write('tickets', 'a', 2); // seq 3, a's newest
      // Trimmed to nothing, a's rows 2 and 3 are gone; 3 was the highest number, so SQLite hands
      // 2 and 3 out again, here to c. a's next version then points to 3: c's row, version 2.
      await store.transaction((tx) => tx.trimVersions('tickets', 'a', 0));
      await write('tickets', 'c', 1); // seq 2
      await write('tickets', 'c', 2); // seq 3
      await write('tickets', 'a', 3); // seq 4, prev 3 (c's)
      await write('tickets', 'a', 4); // seq 5
      expect((await store.listVersions('tickets', 'a', { beforeVersion: undefined, limit: 10 })).map((v) => v.requestId)).toEqual(['a-4', 'a-3']);
      expect(await store.getVersion('tickets', 'a', 2)).toBeUndefined();
      expect((await store.listVersions('tickets', 'c', { beforeVersion: undefined, limit: 10 })).map((v) => v.requestId)).toEqual(['c-2', 'c-1']);

      // The same with the number taken by the resource's own next version: d's version 3 points
      // to 7, which its version 4 takes, so the chain loops back to a newer version.
      await write('tickets', 'd', 1); // seq 6
      await write('tickets', 'd', 2); // seq 7
      await store.transaction((tx) => tx.trimVersions('tickets', 'd', 0));
      await write('tickets', 'd', 3); // seq 6, prev 7 (trimmed)
      await write('tickets', 'd', 4); // seq 7, prev 6
      expect((await store.listVersions('tickets', 'd', { beforeVersion: undefined, limit: 10 })).map((v) => v.requestId)).toEqual(['d-4', 'd-3']);
      expect((await store.listVersions('tickets', 'b', { beforeVersion: undefined, limit: 10 })).map((v) => v.requestId)).toEqual(['b-1']);
      await store.close();
    });
  });

  it('refuses a version whose resource has no document row, keeping the transaction out', async () => {
    await withSqliteFile('idem-sqlite-chain-orphan-', async (path) => {
      const store = await openSqliteStore(path);
      await expect(store.transaction((tx) => tx.appendVersion(version(1)))).rejects.toThrow(/no documents row; put the document before its version/);
      expect(await store.getVersion('tickets', 't-1', 1)).toBeUndefined();
      await store.close();
    });
  });
});

describe('sqlite document rows', () => {
  it('keep only the client fields, still read rows that hold the whole representation, and filter both', async () => {
    await withSqliteFile('idem-sqlite-body-', async (path) => {
      const store = await openSqliteStore(path);
      const ann = buildDocument('customers', 'c-ann', { name: 'Ann', city: 'Porto' }, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      const bob = buildDocument('customers', 'c-bob', { name: 'Bob', city: 'Porto' }, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      await store.transaction(async (tx) => {
        await tx.putDocument(ann);
        await tx.putDocument(bob);
      });
      const raw = new Database(path);
      const row = raw.prepare(`SELECT body, body_kind FROM documents WHERE id = 'c-ann'`).get() as { body: string; body_kind: number };
      expect(row).toEqual({ body: '{"name":"Ann","city":"Porto"}', body_kind: 1 });
      // A row as schema 2 wrote it: the whole representation, kind 0.
      raw.prepare(`UPDATE documents SET body = ?, body_kind = 0 WHERE id = 'c-bob'`).run(bob.body);
      raw.close();

      for (const doc of [ann, bob]) {
        expect((await store.getDocument('customers', doc.id))?.body).toBe(doc.body);
        expect(await store.transaction((tx) => tx.getDocumentForUpdate('customers', doc.id))).toEqual(doc);
      }
      const porto = await store.listDocuments('customers', { filters: [{ field: 'city', value: 'Porto' }], afterId: undefined, limit: 10 });
      expect(porto.map((d) => d.body)).toEqual([ann.body, bob.body]);
      const named = await store.listDocuments('customers', { filters: [{ field: 'name', value: 'Bob' }], afterId: undefined, limit: 10 });
      expect(named.map((d) => d.id)).toEqual(['c-bob']);
      await store.close();
    });
  });
});

describe('sqlite read snapshot', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const ann = buildDocument('customers', 'c-ann', { name: 'Ann' }, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');

  it('is shared by the reads of one turn and ends with it: a write from another connection shows next turn, and the WAL checkpoints whole', async () => {
    await withSqliteFile('idem-sqlite-snapshot-', async (path) => {
      const store = await openSqliteStore(path, { backgroundCheckpoints: false });
      await store.transaction((tx) => tx.putDocument(ann));
      const other = new Database(path); // stands for another process writing the same file
      try {
        expect((await store.getDocument('customers', 'c-ann'))?.version).toBe(1);
        other.prepare(`UPDATE documents SET version = 2 WHERE id = 'c-ann'`).run();
        // Same turn: the snapshot the first read took.
        expect((await store.getDocument('customers', 'c-ann'))?.version).toBe(1);
        await nextTurn();
        expect((await store.getDocument('customers', 'c-ann'))?.version).toBe(2);
        await nextTurn();
        // No snapshot is left open to hold the checkpoint back: every WAL frame is copied.
        const [result] = other.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
        expect(result?.busy).toBe(0);
        expect(result?.log).toBeGreaterThan(0);
        expect(result?.checkpointed).toBe(result?.log);
      } finally {
        other.close();
        await store.close();
      }
    });
  });

  it('is not used by an in-memory store, whose reads and writes share one connection', async () => {
    const store = await openSqliteStore(':memory:');
    // A write queued, then a read in the same turn: a snapshot on the one connection would
    // still be open when the write's BEGIN IMMEDIATE runs, and the write would fail.
    const write = store.transaction((tx) => tx.putDocument(ann));
    expect(await store.getDocument('customers', 'c-ann')).toBeUndefined();
    await write;
    expect(await store.getDocument('customers', 'c-ann')).toEqual(ann);
    await store.close();
  });
});
