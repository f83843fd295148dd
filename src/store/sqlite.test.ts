import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from './contract.js';
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
