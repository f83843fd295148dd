import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The store the proxy uses when `--db` is not given: a SQLite file in the working directory. */
export const DEFAULT_DB = 'sqlite:idem-proxy.sqlite';

/**
 * Open the key store named by a URL: `sqlite:PATH` (embedded; several proxy processes on one
 * machine can share the file) or `postgres://…` (several proxy instances anywhere sharing
 * claims). The same opener as `idem serve`, so both accept the same URLs.
 */
export function openDb(url: string): Promise<Store> {
  return openStore(url);
}
