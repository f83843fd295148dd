import type Database from 'better-sqlite3';

/**
 * One read transaction for all the reads of a turn of the event loop, on the SQLite store's
 * read connection.
 *
 * A statement run outside a transaction is a read transaction of its own, and in WAL mode
 * starting and ending one costs three system calls (a lock and an unlock on the `-shm` file,
 * an fstat of the database) plus the check of the WAL index: about half of a GET's time in
 * SQLite (bench/README.md, "One read transaction per turn"). Here the first read of a turn
 * opens a transaction (`BEGIN`, whose first SELECT takes the snapshot) and a `setImmediate`
 * ends it after the turn's I/O callbacks, so the GETs read in one turn share it.
 *
 * What a read sees is unchanged for this process's own writes: the group commit calls `end()`
 * right before every COMMIT, so a read that follows a COMMIT (and so any read after the write
 * was acknowledged) takes a new snapshot and sees it. Ended before rather than after, the
 * snapshot also never makes the COMMIT's own WAL checkpoint or restart wait for it.
 *
 * A write committed by another process on the same file (several proxies on one SQLite file,
 * docs/PROXY.md) becomes visible from the next turn, at most one turn late; what the proxy
 * reads outside a transaction is only a first look, decided again inside one (proxy/claim.ts).
 */
export class SharedReadSnapshot {
  private open = false;
  private readonly begin;
  private readonly commit;

  constructor(private readonly db: Database.Database) {
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
  }

  /** Call before each read outside a transaction. */
  enter(): void {
    if (this.open) return;
    this.begin.run();
    this.open = true;
    setImmediate(this.end);
  }

  /** End the shared snapshot now, so the next read takes a new one. */
  readonly end = (): void => {
    if (!this.open) return;
    this.open = false;
    // A read transaction has nothing to commit; COMMIT just releases its snapshot.
    if (this.db.inTransaction) this.commit.run();
  };
}
