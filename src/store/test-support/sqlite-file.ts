import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh SQLite file path in its own temp directory, removed after `use` however it ends. */
export async function withSqliteFile(prefix: string, use: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await use(join(dir, 'idem.db'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
