import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the background thread copies committed WAL frames into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;

/**
 * WAL pages after which the writer checkpoints on its own thread after all. The background
 * passes keep most frames copied, so this pass only copies the rest; it is what lets the WAL
 * start over from its beginning under constant writes (see below), and it bounds the WAL
 * (~16 MB at 4 KiB pages) if the background thread falls behind or stops.
 */
export const WRITER_CHECKPOINT_PAGES = 4000;

/** SQLite's own default, which the writer goes back to when there is no background thread. */
const SQLITE_DEFAULT_CHECKPOINT_PAGES = 1000;

/**
 * The background thread's whole program. It runs as an eval'd CommonJS script, so it may use
 * only what it requires itself; the driver's path comes from the parent, resolved there.
 *
 * A PASSIVE checkpoint copies frames without taking the write lock (SQLite, "Checkpoint
 * modes"), so the writer goes on committing meanwhile. `busy_timeout = 0`: if another process
 * is checkpointing the same file, this pass gives up and the next one tries again.
 */
function checkpointLoop(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const Driver = require(workerData.driver) as typeof Database;
  const db = new Driver(workerData.path, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY from another process's checkpoint: the next pass copies what is left.
    }
  }, workerData.intervalMs);
  parentPort?.once('message', () => {
    clearInterval(timer);
    db.close();
    parentPort.close();
  });
}

/**
 * Checkpoints of the SQLite WAL on a thread of their own.
 *
 * In WAL mode every commit appends pages to the WAL, and by default the connection that
 * commits copies them back into the database file once the WAL passes 1000 pages: a
 * checkpoint, run inside that COMMIT, with an fsync of the database file. On idem's writer that
 * COMMIT runs on the event loop, so every request in flight waited for it. Measured under 50
 * connections of PUTs (bench/README.md, "Checkpoints on a worker thread"): the slowest 1% of
 * COMMITs took 10.2–10.4 ms with checkpoints on the writer and 5.3–6.0 ms with them here.
 *
 * The WAL itself starts over only when a write transaction begins after every frame has been
 * copied (SQLite, "WAL file reset"). Under constant writes a background pass rarely ends before
 * the next commit, so the writer still checkpoints at WRITER_CHECKPOINT_PAGES; by then the
 * background passes have copied nearly everything, and its pass is short.
 *
 * If the thread fails (it cannot load the driver, it runs out of memory), the writer goes back
 * to SQLite's default and checkpoints on its own as before: slower at the tail, never unsafe.
 */
export class BackgroundCheckpointer {
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    writer: Database.Database,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.once('error', () => {
      if (writer.open) writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_CHECKPOINT_PAGES}`);
    });
  }

  /** Start checkpointing `path` in the background; `writer` is the connection that commits to it. */
  static start(path: string, writer: Database.Database, intervalMs = CHECKPOINT_INTERVAL_MS): BackgroundCheckpointer {
    writer.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
    const worker = new Worker(`(${checkpointLoop.toString()})()`, {
      eval: true,
      workerData: { path, intervalMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
      // It holds one connection and a timer: a small heap keeps it small in the server's RSS.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 },
    });
    // It must never keep a process alive that is otherwise done.
    worker.unref();
    return new BackgroundCheckpointer(worker, writer);
  }

  /** Close the thread's connection and end the thread; resolves once it has exited. */
  async stop(): Promise<void> {
    // Referenced again while it winds down: otherwise a process with nothing else left to do
    // exits here, with close() never finishing and the writer never closed.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
