import type Database from 'better-sqlite3';
import { IDEMPOTENCY_COLUMNS, idempotencyValues, toIdempotency, type IdempotencyRow } from './rows.js';
import type { IdempotencyRecord } from './store.js';

/**
 * Idempotency-key rows in SQLite, with the response body of a keyed write kept once (schema
 * migration 7).
 *
 * The stored response of a keyed create or update is, byte for byte, the new version's
 * representation, which that write's versions row already holds. Written out again in the key
 * row, it doubled what a keyed POST added to the WAL, its fsync and its checkpoint (4.1 KB
 * written per keyed POST against 2.1 KB per plain one, in process). Such a key row keeps the
 * response head (status and headers, rows.ts encodeResponse) and `response_body_seq`, the
 * versions row whose body ends the response; every read below puts the two back together, so
 * callers get the same record as before. Responses of any other kind (a problem, a 204, a
 * proxy's upstream response) are kept whole, as before.
 *
 * A history trim that removes a referenced versions row first copies its body into the key
 * row (sqlite-history.ts), so a replay within the retention still gets the exact bytes.
 */

/** The key columns in rows.ts order, with a referenced body appended to the response head. */
const KEY_ROW = `SELECT k.principal, k.key, k.fingerprint, k.state,
    CASE WHEN k.response_body_seq IS NULL THEN k.response
         ELSE k.response || (SELECT v.body FROM versions v WHERE v.seq = k.response_body_seq) END AS response,
    k.created_at, k.expires_at, k.lease_until
  FROM idempotency_keys k`;

/** The versions row a transaction appended last, as far as a key row may point to it. */
export interface AppendedVersion {
  seq: number;
  principal: string;
  idempotencyKey: string | null;
  body: string | null;
}

/** Key reads; on the read connection or, inside a transaction, on the writer. */
export function idempotencyReader(db: Database.Database) {
  const one = db.prepare(`${KEY_ROW} WHERE k.principal = ? AND k.key = ?`);
  const recent = db.prepare(`${KEY_ROW} ORDER BY k.rowid DESC LIMIT ?`);
  return {
    get(principal: string, key: string): IdempotencyRecord | undefined {
      const row = one.get(principal, key) as IdempotencyRow | undefined;
      return row && toIdempotency(row);
    },
    /** The most recently written records first. */
    recent(limit: number): IdempotencyRecord[] {
      return (recent.all(limit) as IdempotencyRow[]).map(toIdempotency);
    },
  };
}

/** Key writes, on the writer connection. */
export function idempotencyWriter(db: Database.Database) {
  const put = db.prepare(`INSERT OR REPLACE INTO idempotency_keys (${IDEMPOTENCY_COLUMNS}, response_body_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    /**
     * Store `record`. When its response body is the body of `appended` (the versions row its
     * own write appended in this transaction, under the same principal and key), the row points
     * to that body instead of holding a copy.
     */
    put(record: IdempotencyRecord, appended?: AppendedVersion): void {
      const response = record.response;
      const shared =
        appended !== undefined &&
        response !== null &&
        response.body !== '' &&
        appended.idempotencyKey === record.key &&
        appended.principal === record.principal &&
        appended.body === response.body;
      if (!shared) {
        put.run(...idempotencyValues(record), null);
        return;
      }
      put.run(...idempotencyValues({ ...record, response: { ...response, body: '' } }), appended.seq);
    },
  };
}
