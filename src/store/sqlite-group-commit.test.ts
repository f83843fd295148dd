import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './sqlite-group-commit.js';
import { openSqliteStore } from './sqlite.js';
import type { Store, StoredDocument } from './store.js';
import { withSqliteFile } from './test-support/sqlite-file.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idem-group-'));
  store = await openSqliteStore(join(dir, 'g.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const doc = (id: string, version: number): StoredDocument => ({
  collection: 'c',
  id,
  version,
  etag: `"${id}-${version}"`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deleted: false,
  body: JSON.stringify({ id, version }),
});

describe('SQLite group commit', () => {
  it('transactions committed together stay independent: one that throws is undone alone', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.putDocument(doc(`d${i}`, 1));
          if (i % 3 === 0) throw new Error(`tx ${i} fails after writing`);
          return i;
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, `tx ${i}`).toBe(i % 3 === 0 ? 'rejected' : 'fulfilled');
      const stored = await store.getDocument('c', `d${i}`);
      expect(stored === undefined, `d${i}`).toBe(i % 3 === 0);
    }
  });

  it('runs concurrent transactions one after another: each sees the writes before it', async () => {
    await store.transaction((tx) => tx.putDocument(doc('counter', 0)));
    await Promise.all(
      Array.from({ length: 25 }, () =>
        store.transaction(async (tx) => {
          const current = (await tx.getDocumentForUpdate('c', 'counter')) as StoredDocument;
          await tx.putDocument(doc('counter', current.version + 1));
        }),
      ),
    );
    expect((await store.getDocument('c', 'counter'))?.version).toBe(25);
  });

  it('answers a transaction only once its commit is visible to readers', async () => {
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.transaction((tx) => tx.putDocument(doc(`v${i}`, 1))).then(() => store.getDocument('c', `v${i}`))),
    );
    expect(seen.every((d) => d !== undefined)).toBe(true);
  });
});

describe('SQLite group commit, paused', () => {
  /** A queue on a fresh file with one table, and a count of its rows. */
  async function withQueue(use: (queue: GroupCommitQueue, db: Database.Database, rows: () => number) => Promise<void>): Promise<void> {
    await withSqliteFile('idem-pause-', async (path) => {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x INTEGER)');
      try {
        await use(new GroupCommitQueue(db), db, () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n);
      } finally {
        db.close();
      }
    });
  }
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it('lets the running batch commit first, then starts no transaction until released', async () => {
    await withQueue(async (queue, db, rows) => {
      let finishFirst!: () => void;
      const first = queue.run(async () => {
        db.prepare('INSERT INTO t VALUES (1)').run();
        await new Promise<void>((r) => (finishFirst = r));
      });
      await turns(3); // the first batch has begun and waits inside its transaction
      let pausedAt: number | undefined;
      const pausing = queue.pause().then((release) => {
        pausedAt = rows();
        return release;
      });
      await turns(3);
      expect(pausedAt).toBeUndefined(); // not while a batch is running
      finishFirst();
      await first;
      const release = await pausing;
      expect(pausedAt).toBe(1); // the running batch had committed when the pause began

      let secondDone = false;
      const second = queue.run(async () => void db.prepare('INSERT INTO t VALUES (2)').run()).then(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(secondDone).toBe(false);
      expect(db.inTransaction).toBe(false); // not even begun
      expect(rows()).toBe(1);
      release();
      await second;
      expect(rows()).toBe(2);
    });
  });

  it('pauses at once when nothing is running, and a second release is harmless', async () => {
    await withQueue(async (queue, db, rows) => {
      const release = await queue.pause();
      const written = queue.run(async () => void db.prepare('INSERT INTO t VALUES (1)').run());
      await turns(5);
      expect(rows()).toBe(0);
      release();
      release();
      await written;
      expect(rows()).toBe(1);
      // Not paused any more: the next transaction runs straight away.
      await queue.run(async () => void db.prepare('INSERT INTO t VALUES (2)').run());
      expect(rows()).toBe(2);
    });
  });
});
