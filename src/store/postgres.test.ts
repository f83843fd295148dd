import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { describeStoreContract } from './contract.js';
import { doc, waitFor } from './contract-fixtures.js';
import { openPostgresStore } from './postgres.js';
import { postgresMigrations } from './postgres-schema.js';
import type { Store } from './store.js';
import { createTestDatabase, type TestDatabase } from './test-support/postgres.js';

// A new database in the run's PostgreSQL (test/global-setup.ts) for every test.
describeStoreContract('postgres', async () => {
  const database = await createTestDatabase();
  const store = await openPostgresStore(database.url, { max: 6 });
  return {
    store,
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});

describe('PostgreSQL store', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function withStores<T>(count: number, fn: (stores: Store[]) => Promise<T>, url = database.url): Promise<T> {
    // Opened at the same time, as instances starting together behind a load balancer are.
    const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore(url, { max: 4 })));
    try {
      return await fn(stores);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }

  it('instances starting at once on an empty database migrate it exactly once', async () => {
    const fresh = await createTestDatabase();
    try {
      await withStores(4, async ([first]) => {
        expect(first?.kind).toBe('postgres');
      }, fresh.url);
      // Opening again finds nothing to do.
      await withStores(1, async () => {}, fresh.url);
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>('SELECT version FROM idem_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((_, i) => i + 1));
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
    }
  });

  it('a lock taken with tryLock in one open transaction is refused to another instance until commit', async () => {
    await withStores(2, async ([a, b]) => {
      if (a === undefined || b === undefined) throw new Error('two stores expected');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let taken!: () => void;
      const lockTaken = new Promise<void>((resolve) => (taken = resolve));
      const holder = a.transaction(async (tx) => {
        const got = await tx.tryLock('idem:alice:k1');
        taken();
        await held;
        return got;
      });
      await lockTaken;
      const whileHeld = await b.transaction((tx) => tx.tryLock('idem:alice:k1'));
      release();
      expect(await holder).toBe(true);
      expect(whileHeld).toBe(false);
      expect(await b.transaction((tx) => tx.tryLock('idem:alice:k1'))).toBe(true);
    });
  });

  it('a writer of one resource does not wait for a writer of another', async () => {
    await withStores(2, async ([a, b]) => {
      if (a === undefined || b === undefined) throw new Error('two stores expected');
      let otherDone = false;
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const holder = a.transaction(async (tx) => {
        await tx.getDocumentForUpdate('users', 'one');
        await tx.putDocument(doc('users', 'one', 1));
        locked();
        // Stay open until the other resource's write has committed (or give up after 5 s).
        await waitFor(() => otherDone, 5_000);
        return otherDone;
      });
      await holding;
      await b.transaction(async (tx) => {
        await tx.getDocumentForUpdate('users', 'two');
        await tx.putDocument(doc('users', 'two', 1));
      });
      otherDone = true;
      expect(await holder).toBe(true);
    });
  });

  it('connections go back to the pool after failed transactions', async () => {
    await withStores(1, async ([store]) => {
      if (store === undefined) throw new Error('a store expected');
      for (let i = 0; i < 10; i++) {
        await expect(store.transaction(async (tx) => {
          await tx.putDocument(doc('users', `fail-${i}`, 1));
          throw new Error('abort');
        })).rejects.toThrow('abort');
      }
      // A statement error inside the transaction (here: a duplicate version row) also rolls back.
      await expect(store.transaction(async (tx) => {
        await tx.appendVersion({ collection: 'users', id: 'x', version: 1, change: 'create', body: '{}', etag: '"1"', at: 'now', principal: 'p', requestId: 'r', method: 'POST', idempotencyKey: null });
        await tx.appendVersion({ collection: 'users', id: 'x', version: 1, change: 'create', body: '{}', etag: '"1"', at: 'now', principal: 'p', requestId: 'r', method: 'POST', idempotencyKey: null });
      })).rejects.toThrow();
      await store.transaction((tx) => tx.putDocument(doc('users', 'ok', 1)));
      expect(await store.getDocument('users', 'ok')).toEqual(doc('users', 'ok', 1));
      expect(await store.getDocument('users', 'fail-0')).toBeUndefined();
      expect(await store.getVersion('users', 'x', 1)).toBeUndefined();
    });
  });

  it('a transaction that throws gives its connection back to the pool instead of reconnecting', async () => {
    const fresh = await createTestDatabase();
    const store = await openPostgresStore(fresh.url, { max: 1 });
    const admin = new pg.Client({ connectionString: fresh.url });
    await admin.connect();
    const idemBackends = async () =>
      (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'idem'")).rows.map((r) => r.pid);
    try {
      await store.transaction((tx) => tx.putDocument(doc('users', 'warm-up', 1)));
      const before = await idemBackends();
      expect(before).toHaveLength(1);
      for (let i = 0; i < 5; i++) {
        await expect(store.transaction(async () => Promise.reject(new Error('precondition failed')))).rejects.toThrow('precondition failed');
      }
      await store.transaction((tx) => tx.getDocumentForUpdate('users', 'warm-up'));
      expect(await idemBackends()).toEqual(before);
    } finally {
      await admin.end();
      await store.close();
      await fresh.drop();
    }
  });

  it('opening a database that cannot be reached fails with the connection error', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(openPostgresStore('postgres://idem:idem@127.0.0.1:1/idem')).rejects.toThrow(/ECONNREFUSED/);
  });
});
