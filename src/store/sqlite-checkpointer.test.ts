import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../engine/representation.js';
import { RESTART_WAL_PAGES, WRITER_CHECKPOINT_PAGES } from './sqlite-checkpointer.js';
import { openSqliteStore, type SqliteOptions } from './sqlite.js';
import type { Store } from './store.js';
import { withSqliteFile } from './test-support/sqlite-file.js';

const AT = '2026-01-01T00:00:00.000Z';

/** A store on a fresh file; `use` gets it and its path, and the directory goes afterwards. */
function withStore(options: SqliteOptions, use: (store: Store, path: string) => Promise<void>): Promise<void> {
  return withSqliteFile('idem-checkpoint-', async (path) => use(await openSqliteStore(path, options), path));
}

/**
 * ~0.6 MB of documents in one transaction, a few hundred pages, all appended to the WAL: fewer
 * than the 1000 pages at which SQLite's own checkpoint would copy them into the file. (Rows stay
 * under ~1000 bytes, so none spills into overflow pages.)
 */
async function writeSomeHundredPages(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 0; i < 1000; i++) {
      await tx.putDocument(buildDocument('customers', `c-${i}`, { name: `Customer ${i}`, city: 'x'.repeat(500) }, 1, AT, AT));
    }
  });
}

/** What this process's open file descriptors point to under `path` (Linux: /proc/self/fd). */
function openFilesUnder(path: string): string[] {
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return ''; // the descriptor readdir itself used, closed by now
    }
  });
  return targets.filter((target) => target.startsWith(path));
}

/**
 * The WAL's length in frames, `mxFrame` of the WAL-index header at the start of the -shm file
 * (SQLite, "WAL-mode File Format"): a native-order u32 at byte 16.
 */
function walFrames(shm: number): number {
  const word = Buffer.alloc(4);
  readSync(shm, word, 0, 4, 16);
  return endianness() === 'LE' ? word.readUInt32LE(0) : word.readUInt32BE(0);
}

/** Poll until the database file (not its WAL) holds at least `bytes`, or `ms` pass. */
async function fileSizeReaches(path: string, bytes: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let size = statSync(path).size;
  while (size < bytes && Date.now() < deadline) {
    await sleep(50);
    size = statSync(path).size;
  }
  return size;
}

describe('sqlite background checkpoints', () => {
  it('copy committed pages into the database file without the writer checkpointing', async () => {
    await withStore({}, async (store, path) => {
      await writeSomeHundredPages(store);
      // The writer checkpoints only past 4000 WAL pages, so only the background thread can
      // have put these pages into the file.
      expect(await fileSizeReaches(path, 500_000, 5000)).toBeGreaterThanOrEqual(500_000);
      expect((await store.getDocument('customers', 'c-999'))?.body).toContain('Customer 999');
      await store.close();
    });
  });

  it('start the WAL over under constant writes, before the writer would checkpoint itself', async () => {
    await withStore({}, async (store, path) => {
      // ~3x the WAL length at which the writer checkpoints on its own, in small transactions
      // one after another: the WAL would reach that length if nothing started it over.
      let written = 0;
      let shm: number | undefined;
      let lastLook = 0;
      const lengthsAtStartOver: number[] = [];
      try {
        for (let batch = 0; written < 3 * WRITER_CHECKPOINT_PAGES * 4096; batch++) {
          await store.transaction(async (tx) => {
            for (let i = 0; i < 20; i++) {
              await tx.putDocument(buildDocument('customers', `c-${batch}-${i}`, { name: `Customer ${batch}/${i}`, city: 'x'.repeat(900) }, 1, AT, AT));
            }
          });
          written += 20 * 1000;
          shm ??= openSync(`${path}-shm`, 'r');
          const frames = walFrames(shm);
          if (frames < lastLook) lengthsAtStartOver.push(lastLook);
          lastLook = frames;
          await sleep(1);
        }
        expect((await store.getDocument('customers', 'c-0-0'))?.body).toContain('Customer 0/0');
        await store.close();
      } finally {
        // Only now: closing a descriptor of the -shm file drops the locks SQLite holds on it.
        if (shm !== undefined) closeSync(shm);
      }
      // The writer starts the WAL over itself only at WRITER_CHECKPOINT_PAGES frames or more, and
      // a transaction here appends ~6 frames, so its start-overs were last seen above ~3990. The
      // thread asks for one at RESTART_WAL_PAGES: at least one start-over must fall between the
      // two. (How long the WAL runs before each depends on how fast the disk flushes; on a busy
      // machine some go past the writer's threshold. And SQLite starts a WAL over by itself when
      // a writer finds every frame already copied back: once, in a CI run, at 1185 frames, which
      // the thread never asks for, so most likely after a background pass had caught up.)
      const atStartOver = `WAL frames at each start-over: ${lengthsAtStartOver.join(', ')}`;
      const askedByTheThread = lengthsAtStartOver.filter((frames) => frames >= RESTART_WAL_PAGES && frames < WRITER_CHECKPOINT_PAGES - 100);
      expect(askedByTheThread.length, atStartOver).toBeGreaterThan(0);
    });
  });

  it('leave the pages in the WAL when switched off, until the writer reaches its own threshold', async () => {
    await withStore({ backgroundCheckpoints: false }, async (store, path) => {
      await writeSomeHundredPages(store);
      // Three background intervals and more: nothing copies them.
      expect(await fileSizeReaches(path, 500_000, 1000)).toBeLessThan(500_000);
      await store.close();
    });
  });

  it('stop before the writer closes, so the writer, last to close, removes the WAL', async () => {
    await withStore({}, async (store, path) => {
      await writeSomeHundredPages(store);
      expect(existsSync(`${path}-wal`)).toBe(true);
      await store.close();
      expect(existsSync(`${path}-wal`)).toBe(false);
      expect(statSync(path).size).toBeGreaterThanOrEqual(500_000);
    });
  });

  it.runIf(process.platform === 'linux')('close the files the thread reads and flushes when the store closes', async () => {
    await withSqliteFile('idem-checkpoint-files-', async (path) => {
      const store = await openSqliteStore(path);
      await writeSomeHundredPages(store);
      // SQLite's connections and the checkpointer's own descriptors of the -shm file.
      expect(openFilesUnder(path).filter((target) => target === `${path}-shm`).length).toBeGreaterThan(1);
      await store.close();
      // Closing a descriptor drops every POSIX lock the process holds on that file, so these
      // close last; and none is left behind, not even of the removed -shm file.
      expect(openFilesUnder(path)).toEqual([]);
    });
  });

  it('let a script that only opens, writes and closes a store finish its close()', async () => {
    // The thread is unreferenced so it never keeps a process alive; close() must still wait for
    // it. The built library (npm test builds it first), in a process of its own.
    const library = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    await withSqliteFile('idem-checkpoint-script-', async (path) => {
      const script = `
        const { openSqliteStore } = await import(${JSON.stringify(library)});
        const store = await openSqliteStore(${JSON.stringify(path)});
        await store.transaction((tx) => tx.putDocument({ collection: 'customers', id: 'c-1', version: 1, etag: '"e"', createdAt: 'x', updatedAt: 'x', deleted: false, body: '{}' }));
        await store.close();
        console.log('closed');`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      expect(stdout.trim()).toBe('closed');
      expect(existsSync(`${path}-wal`)).toBe(false);
    });
  });
});
