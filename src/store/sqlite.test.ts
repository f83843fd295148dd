import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from './contract.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { openSqliteStore } from './sqlite.js';

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
    const dir = await mkdtemp(join(tmpdir(), 'idem-sqlite-migrate-'));
    const path = join(dir, 'idem.db');
    try {
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
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'idempotency_keys_expiry'`).get()).toBeDefined();
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
