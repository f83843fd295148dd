import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory for a SQLite key store; `dbUrl` is what `--db` takes. */
export function tempDb(): { dir: string; path: string; dbUrl: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'idem-proxy-db-'));
  const path = join(dir, 'keys.sqlite');
  return { dir, path, dbUrl: `sqlite:${path}`, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
