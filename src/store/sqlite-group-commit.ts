import type Database from 'better-sqlite3';

interface Pending<T> {
  fn: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Most transactions one commit carries. */
const MAX_BATCH = 256;

/**
 * Group commit for the SQLite writer. With `synchronous=FULL` every COMMIT waits for an fsync,
 * and one fsync per request caps a durable SQLite at a few hundred writes a second. Here the
 * transactions that arrive while a commit is being written are run together: each inside its
 * own SAVEPOINT (so one that throws is undone alone, RELEASE/ROLLBACK TO), all inside one
 * `BEGIN IMMEDIATE … COMMIT`, in arrival order. Every caller is answered only after that
 * COMMIT returns, so an acknowledged write is as durable as before; if the COMMIT itself fails,
 * every transaction of the batch fails and none happened.
 *
 * Isolation is unchanged: the transactions still run one after another, each seeing the
 * writes of those before it, exactly as if each had committed on its own.
 */
export class GroupCommitQueue {
  private readonly pending: Array<Pending<unknown>> = [];
  private running: Promise<void> | undefined;
  /** Set while the queue is paused (pause()): no batch begins until it resolves. */
  private paused: Promise<void> | undefined;
  /** A batch is between its BEGIN and the end of its COMMIT. */
  private inBatch = false;
  /** Callers of pause() waiting for the running batch to end. */
  private readonly batchEndWaiters: Array<() => void> = [];
  private readonly s;

  /**
   * @param beforeCommit called right before each COMMIT, synchronously: nothing else runs
   *   between it and the COMMIT (sqlite-read-snapshot.ts ends the read snapshot there).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly beforeCommit: () => void = () => {},
  ) {
    this.s = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT idem_tx'),
      release: db.prepare('RELEASE idem_tx'),
      rollbackTo: db.prepare('ROLLBACK TO idem_tx'),
    };
  }

  /** Run `fn` in a transaction; resolves once the commit carrying it is durable. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve, reject } as Pending<unknown>);
      // setImmediate, not a microtask: the requests read in this turn of the event loop get
      // to queue their transactions before the batch starts.
      this.running ??= new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Hold every transaction back until the returned function is called. Resolves once no batch
   * is running (right away, or when the running one has committed), so from then until the
   * release nothing writes to the database through this queue; transactions queued meanwhile
   * wait, and run together in the first batch after it. Holds do not nest: one at a time.
   */
  pause(): Promise<() => void> {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    this.paused = paused;
    const release = () => {
      if (this.paused === paused) this.paused = undefined;
      resume();
    };
    if (!this.inBatch) return Promise.resolve(release);
    return new Promise((resolve) => this.batchEndWaiters.push(() => resolve(release)));
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        while (this.paused) await this.paused;
        this.inBatch = true;
        try {
          await this.commitBatch(this.pending.splice(0, MAX_BATCH));
        } finally {
          this.inBatch = false;
          // Checked first: the splice would allocate an array on every batch of a hot path.
          if (this.batchEndWaiters.length > 0) for (const batchEnded of this.batchEndWaiters.splice(0)) batchEnded();
        }
        // Let I/O callbacks queue more work before the next batch.
        if (this.pending.length === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = undefined;
    }
  }

  /** Undo the last transaction of the batch; false when the whole batch's transaction is gone. */
  private undoLast(): boolean {
    if (!this.db.inTransaction) return false;
    try {
      this.s.rollbackTo.run();
      this.s.release.run();
      return true;
    } catch {
      if (this.db.inTransaction) this.s.rollback.run();
      return false;
    }
  }

  private async commitBatch(batch: Array<Pending<unknown>>): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.s.begin.run();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      this.s.savepoint.run();
      try {
        const value = await item.fn();
        this.s.release.run();
        outcomes.push({ ok: true, value });
      } catch (error) {
        if (!this.undoLast()) {
          // SQLite rolled the whole transaction back itself (disk full, I/O error): the work of
          // every transaction in this batch is gone, so none of them may report success.
          for (const each of batch) each.reject(error);
          return;
        }
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.beforeCommit();
      this.s.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i] as (typeof outcomes)[number];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
