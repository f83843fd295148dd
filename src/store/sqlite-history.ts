import type Database from 'better-sqlite3';
import { toVersion, VERSION_COLUMNS, versionValues, type VersionRow } from './rows.js';
import type { VersionQuery, VersionRecord } from './store.js';

/**
 * The history of each resource in SQLite, kept as a chain (schema migration 6): every version
 * row points to the version before it (`prev`), the documents row to the newest one
 * (`history_head`), and only every 16th version is indexed (`versions_every_16th`).
 *
 * Why not an index on (collection, id, version): a write's entry lands inside its resource's
 * run of entries, so once resources have dozens of versions, every write of a group commit
 * dirtied an index page of its own, and the WAL, its fsyncs and its checkpoints grew with it
 * (bench/README.md, "History without a per-version index"). Here a write appends its row at the
 * end of the table and rewrites the documents row it rewrites anyway; one write in 16 adds an
 * index entry.
 *
 * Reading walks the chain: to the versions at or below V from the first indexed version at or
 * above V (at most 15 steps away), or from the newest version when none is. Every step checks
 * that the row belongs to the same resource and has a lower version, so a pointer to a row that
 * trimming removed ends the chain instead of leading anywhere else.
 */

/** What a step of the walk needs of a versions row. */
interface Link {
  seq: number;
  collection: string;
  id: string;
  version: number;
  prev: number | null;
}

/** A whole versions row as the chain reads it. */
type ChainRow = VersionRow & Link;

/** The statements that find and walk a chain, prepared on one connection. */
function chainStatements(db: Database.Database) {
  const head = db.prepare('SELECT history_head FROM documents WHERE collection = ? AND id = ?').pluck();
  // `version % 16 = 0` repeats the partial index's WHERE term word for word: SQLite uses a
  // partial index only for a query whose WHERE implies the index's own.
  const anchor = db.prepare('SELECT seq FROM versions WHERE collection = ? AND id = ? AND version % 16 = 0 AND version >= ? ORDER BY version LIMIT 1').pluck();
  const link = db.prepare('SELECT seq, collection, id, version, prev FROM versions WHERE seq = ?');
  const whole = db.prepare('SELECT * FROM versions WHERE seq = ?');

  /** Where to start walking to reach the versions at or below `atMost`. */
  const startFor = (collection: string, id: string, atMost: number): number | null =>
    ((anchor.get(collection, id, atMost) ?? head.get(collection, id)) as number | null | undefined) ?? null;

  /**
   * Up to `limit` versions at or below `atMost`, newest first: whole rows, or only their links.
   * Walked in JavaScript, one primary-key lookup per step (~1.5 µs): a recursive CTE doing the
   * same walk cost 60–370 µs a call, mostly for its temporary tables.
   */
  function walk(collection: string, id: string, atMost: number, limit: number, rows: 'whole' | 'links'): Link[] {
    const found: Link[] = [];
    let seq = startFor(collection, id, atMost);
    let above = Number.POSITIVE_INFINITY;
    while (seq !== null && found.length < limit) {
      // Versions are consecutive: after a row at most atMost + 1, the next is one to return,
      // so its whole row is read at once; rows above atMost are walked past by their links.
      const wanted = rows === 'whole' && above <= atMost + 1;
      const step = (wanted ? whole : link).get(seq) as Link | undefined;
      // A link to a row that trimming removed, or whose number a later row took, ends the chain.
      if (!step || step.collection !== collection || step.id !== id || step.version >= above) break;
      if (step.version <= atMost) found.push(wanted || rows === 'links' ? step : (whole.get(seq) as ChainRow));
      above = step.version;
      seq = step.prev;
    }
    return found;
  }

  return {
    head,
    /** The sequence numbers of the versions at or below `atMost`, newest first. */
    seqsAtMost: (collection: string, id: string, atMost: number): number[] =>
      walk(collection, id, atMost, Number.MAX_SAFE_INTEGER, 'links').map((l) => l.seq),
    /** Up to `limit` versions at or below `atMost`, newest first. */
    versionsAtMost: (collection: string, id: string, atMost: number, limit: number): ChainRow[] =>
      walk(collection, id, atMost, limit, 'whole') as ChainRow[],
  };
}

/** History reads, on the read connection. */
export function historyReader(db: Database.Database) {
  const chain = chainStatements(db);
  return {
    list(collection: string, id: string, query: VersionQuery): VersionRecord[] {
      const atMost = query.beforeVersion === undefined ? Number.MAX_SAFE_INTEGER : query.beforeVersion - 1;
      return chain.versionsAtMost(collection, id, atMost, query.limit).map(toVersion);
    },
    get(collection: string, id: string, version: number): VersionRecord | undefined {
      const [row] = chain.versionsAtMost(collection, id, version, 1);
      return row?.version === version ? toVersion(row) : undefined;
    },
  };
}

/** History writes, on the writer connection, inside its transactions. */
export function historyWriter(db: Database.Database) {
  const chain = chainStatements(db);
  const insert = db.prepare(
    `INSERT INTO versions (${VERSION_COLUMNS}, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
       (SELECT history_head FROM documents WHERE collection = ? AND id = ?))`,
  );
  const setHead = db.prepare('UPDATE documents SET history_head = ? WHERE collection = ? AND id = ?');
  const versionOf = db.prepare('SELECT version FROM versions WHERE seq = ?').pluck();
  // A key row may end its stored response with a keyed version's body (sqlite-idempotency.ts):
  // the delete hands that body back (and only a keyed one's) so the key row gets its own copy.
  const remove = db.prepare(
    'DELETE FROM versions WHERE seq = ? RETURNING principal, idempotency_key, CASE WHEN idempotency_key IS NULL THEN NULL ELSE body END AS body',
  );
  const keepKeyBody = db.prepare('UPDATE idempotency_keys SET response = response || ?, response_body_seq = NULL WHERE principal = ? AND key = ? AND response_body_seq = ?');
  return {
    /**
     * Append the newest version of a resource whose documents row exists (the engine puts the
     * document first, in the same transaction). Versions of one resource come in increasing
     * order. Returns the row's seq.
     */
    append(v: VersionRecord): number {
      const seq = Number(insert.run(...versionValues(v), v.collection, v.id).lastInsertRowid);
      if (setHead.run(seq, v.collection, v.id).changes === 0) {
        throw new Error(`appendVersion(${v.collection}/${v.id}): the resource has no documents row; put the document before its version`);
      }
      return seq;
    },
    /** Remove every version of the resource older than its newest `keep`; returns their seqs. */
    trim(collection: string, id: string, keep: number): number[] {
      const newest = chain.head.get(collection, id) as number | null | undefined;
      const latest = newest === null || newest === undefined ? undefined : (versionOf.get(newest) as number | undefined);
      if (latest === undefined) return [];
      const removed = chain.seqsAtMost(collection, id, latest - Math.max(0, keep));
      for (const seq of removed) {
        const gone = remove.get(seq) as Pick<VersionRow, 'principal' | 'idempotency_key' | 'body'> | undefined;
        if (gone?.idempotency_key != null && gone.body !== null) keepKeyBody.run(gone.body, gone.principal, gone.idempotency_key, seq);
      }
      return removed;
    },
  };
}
