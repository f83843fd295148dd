import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the background thread copies committed WAL frames while the WAL stays short. */
export const CHECKPOINT_INTERVAL_MS = 250;

/** How often it looks at the WAL's length while writes are coming in. */
export const WAL_POLL_MS = 10;

/**
 * How often it looks while none are: a burst after an idle spell is found within this, before
 * the WAL can grow from nothing to WRITER_CHECKPOINT_PAGES (at 250 ms it sometimes did).
 */
export const IDLE_POLL_MS = 50;

/**
 * WAL pages after which the background thread has the WAL start over from its beginning (see
 * BackgroundCheckpointer), ~8 MB at 4 KiB pages. At 1000 (SQLite's own checkpoint threshold)
 * there were twice the holds and the passes, and random-key POSTs served a median 0.90x the
 * req/s of the build before; at 3000 one timed run's holds took p50 12 ms (bench/README.md,
 * "The WAL starts over off the event loop").
 */
export const RESTART_WAL_PAGES = 2000;

/**
 * WAL pages after which the writer checkpoints on its own thread after all: only if the
 * background thread falls far behind or stops. It bounds the WAL (~16 MB at 4 KiB pages).
 */
export const WRITER_CHECKPOINT_PAGES = 4000;

/** Frames the pass under a hold should have left to copy at most, if a few passes get there. */
export const HELD_PASS_FRAMES = 64;

/** Longest the writes are held for the background thread's last pass before a restart. */
export const HOLD_LIMIT_MS = 50;

/** SQLite's own default, which the writer goes back to when there is no background thread. */
const SQLITE_DEFAULT_CHECKPOINT_PAGES = 1000;

/**
 * The background thread's whole program. It runs as an eval'd CommonJS script, so it may use
 * only what it requires itself; the driver's path comes from the parent, resolved there.
 *
 * A PASSIVE checkpoint copies frames without taking the write lock (SQLite, "Checkpoint
 * modes"), so the writer goes on committing meanwhile. Each pass syncs the WAL, and a pass
 * that copies every frame up to the WAL's end also fsyncs the database file, so passes are
 * few: one every CHECKPOINT_INTERVAL_MS, and one when the WAL reaches RESTART_WAL_PAGES.
 * Between passes the thread reads the WAL's length from the WAL-index header at the start of
 * the `-shm` file: `mxFrame`, a native-order u32 at byte 16 (SQLite, "WAL-mode File Format",
 * walformat.html, the WAL-index header). That costs one pread and takes no lock; a torn or
 * stale read only moves a pass by one poll. It looks every WAL_POLL_MS while the WAL grows,
 * every IDLE_POLL_MS while it does not. `busy_timeout = 0`: if another process is
 * checkpointing the same file, a pass gives up and a later one copies the rest.
 *
 * Messages: the thread sends 'hold-writes' when the WAL should start over; the parent answers
 * 'writes-held' once no transaction is running, the thread copies what is left and answers
 * 'writes-may-resume'. 'stop' ends the thread.
 */
function checkpointLoop(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { readSync, fdatasyncSync } = require('node:fs') as typeof import('node:fs');
  const { endianness } = require('node:os') as typeof import('node:os');
  const Driver = require(workerData.driver) as typeof Database;
  const db = new Driver(workerData.path, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  let framesAtPass = 0;
  let lastPassAt = 0;
  const pass = (): void => {
    try {
      framesAtPass = (passive.get() as { log: number }).log;
    } catch {
      // SQLITE_BUSY from another process's checkpoint: a later pass copies what is left.
    }
    lastPassAt = Date.now();
  };
  pass();
  const shm = workerData.shmFd as number;
  const word = Buffer.alloc(4);
  const littleEndian = endianness() === 'LE';
  const walFrames = (): number => {
    if (readSync(shm, word, 0, 4, 16) < 4) return 0;
    return littleEndian ? word.readUInt32LE(0) : word.readUInt32BE(0);
  };
  // Under constant writes a pass seldom reaches the end of the WAL, and SQLite syncs the
  // database file only in a pass that does (wal.c, walCheckpoint): the pages copied by the
  // passes of a whole cycle were all left to the pass under the hold, megabytes flushed while
  // every write waited. So the thread flushes them itself before it asks for the hold.
  const databaseFile = workerData.databaseFd as number;
  const flushDatabaseFile = (): void => {
    try {
      fdatasyncSync(databaseFile);
    } catch {
      // Only a head start: the pass under the hold syncs the file itself, and fails if this did.
    }
  };
  /** Up to `passes` more passes, while more than heldPassFrames frames are left to copy. */
  const catchUp = (passes: number): void => {
    for (let more = 0; more < passes && walFrames() - framesAtPass > workerData.heldPassFrames; more++) pass();
  };
  const restartPages = workerData.restartPages as number;
  let lastFrames = 0;
  let holdAt = restartPages;
  let holdAsked = false;
  let timer: NodeJS.Timeout;
  const tick = (): void => {
    const frames = walFrames();
    // A WAL shorter than at the last look has started over: ask again at the usual length.
    if (frames < lastFrames) holdAt = restartPages;
    if (!holdAsked && frames >= holdAt) {
      // Copy what there is while the writes go on, and again what came in meanwhile, so that
      // the hold waits only for the last few frames.
      pass();
      catchUp(3);
      // Flush what those passes copied while the writes still go on, then copy what came in
      // during the flush: the hold then syncs only the pages of its last few frames.
      flushDatabaseFile();
      catchUp(2);
      holdAsked = true;
      // If the restart does not happen (a reader in another process holds the WAL), ask
      // again only once the WAL has grown as much again, not at every look.
      holdAt = frames + restartPages;
      parentPort?.postMessage('hold-writes');
    } else if (frames !== framesAtPass && Date.now() - lastPassAt >= workerData.intervalMs) {
      pass();
    }
    timer = setTimeout(tick, frames !== lastFrames ? workerData.pollMs : workerData.idlePollMs);
    lastFrames = frames;
  };
  timer = setTimeout(tick, workerData.intervalMs);
  parentPort?.on('message', (message) => {
    if (message === 'writes-held') {
      // No transaction runs until the answer: this pass copies every frame, and the writer's
      // next transaction starts the WAL over.
      pass();
      holdAsked = false;
      parentPort.postMessage('writes-may-resume');
    } else if (message === 'stop') {
      clearTimeout(timer);
      db.close();
      parentPort.close();
    }
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
 * Copying is not enough: the WAL starts over from its beginning only when a write transaction
 * begins after every frame has been copied (SQLite, "WAL file reset"), and under constant
 * writes a pass never ends before the next commit. So the writer used to checkpoint itself at
 * 4000 pages, on the event loop: under POSTs with random Idempotency-Keys, ~2100 frames and an
 * fsync in one COMMIT, p50 14 ms, with every request waiting. Now, once the WAL reaches
 * RESTART_WAL_PAGES, the thread copies what is there, flushes the database file, and asks for
 * the writes to be held: the group commit lets the running batch commit and begins no other,
 * the thread copies the ~100 frames committed since, and the next batch starts the WAL over.
 * Only writes wait, for that last pass (p50 3.4–3.8 ms, p90 4.5–4.8 ms in two timed runs, about
 * five holds a second under random-key POSTs; bench/README.md, "The database file is flushed
 * before the hold"), and the event loop goes on serving reads: with writes and GETs at once,
 * the GETs' p99 fell from 17–19 ms to 11–13 ms (bench/README.md, "The WAL starts over off the
 * event loop").
 *
 * If the thread fails (it cannot load the driver, it runs out of memory), the writer goes back
 * to SQLite's default and checkpoints on its own as before: slower at the tail, never unsafe.
 */
export class BackgroundCheckpointer {
  private readonly exited: Promise<void>;
  /** Ends the current hold of the writes, if one is on. */
  private endHold: (() => void) | undefined;
  private stopping = false;

  private constructor(
    private readonly worker: Worker,
    writer: Database.Database,
    private readonly pauseWrites: () => Promise<() => void>,
    private readonly files: { shmFd: number; databaseFd: number },
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.once('error', () => {
      this.endHold?.();
      if (writer.open) writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_CHECKPOINT_PAGES}`);
    });
    worker.on('message', (message) => {
      if (message === 'hold-writes') void this.holdWrites();
      else if (message === 'writes-may-resume') this.endHold?.();
    });
  }

  /**
   * Start checkpointing `path` in the background. `writer` is the connection that commits to
   * it; `pauseWrites` holds its transactions back (resolving once none runs) until the
   * function it gives is called.
   */
  static start(path: string, writer: Database.Database, pauseWrites: () => Promise<() => void>): BackgroundCheckpointer {
    // Opened here and closed by closeFiles() only after SQLite's connections: SQLite locks these
    // files with POSIX record locks, which belong to the process, and closing any descriptor of
    // a file drops all of them (SQLite, "How To Corrupt An SQLite Database File", section 2.2).
    // The writer has already opened the database in WAL mode, so the -shm file exists.
    const files = { shmFd: openSync(`${path}-shm`, 'r'), databaseFd: openSync(path, 'r+') };
    writer.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
    const worker = new Worker(`(${checkpointLoop.toString()})()`, {
      eval: true,
      workerData: {
        path,
        intervalMs: CHECKPOINT_INTERVAL_MS,
        pollMs: WAL_POLL_MS,
        idlePollMs: IDLE_POLL_MS,
        heldPassFrames: HELD_PASS_FRAMES,
        restartPages: RESTART_WAL_PAGES,
        ...files,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      },
      // It holds one connection and a timer: a small heap keeps it small in the server's RSS.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 },
    });
    // It must never keep a process alive that is otherwise done.
    worker.unref();
    return new BackgroundCheckpointer(worker, writer, pauseWrites, files);
  }

  private async holdWrites(): Promise<void> {
    if (this.stopping) return;
    const resumeWrites = await this.pauseWrites();
    // Never longer than HOLD_LIMIT_MS, whatever the thread does: a late answer is then ignored.
    const limit = setTimeout(() => this.endHold?.(), HOLD_LIMIT_MS);
    this.endHold = () => {
      clearTimeout(limit);
      this.endHold = undefined;
      resumeWrites();
    };
    this.worker.postMessage('writes-held');
  }

  /** Close the thread's connection and end the thread; resolves once it has exited. */
  async stop(): Promise<void> {
    // Referenced again while it winds down: otherwise a process with nothing else left to do
    // exits here, with close() never finishing and the writer never closed.
    this.stopping = true;
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
    this.endHold?.();
  }

  /** Close the files the thread read and flushed: call once every SQLite connection to them is closed. */
  closeFiles(): void {
    closeSync(this.files.shmFd);
    closeSync(this.files.databaseFd);
  }
}
