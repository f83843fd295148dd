/**
 * The SQLite schema, as numbered migrations applied in order and tracked with
 * `PRAGMA user_version`. Add a migration; never edit one that has shipped.
 */
export const sqliteMigrations: string[] = [
  `
  CREATE TABLE documents (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  ) WITHOUT ROWID;

  CREATE TABLE versions (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    change TEXT NOT NULL,
    body TEXT,
    etag TEXT,
    at TEXT NOT NULL,
    principal TEXT NOT NULL,
    request_id TEXT NOT NULL,
    method TEXT NOT NULL,
    idempotency_key TEXT,
    PRIMARY KEY (collection, id, version)
  ) WITHOUT ROWID;

  CREATE TABLE unique_values (
    collection TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (collection, field, value)
  ) WITHOUT ROWID;
  CREATE INDEX unique_values_owner ON unique_values (collection, id);

  CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    response TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    lease_until INTEGER,
    PRIMARY KEY (principal, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    effect TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
  CREATE INDEX outbox_resource ON outbox (collection, resource_id);
  `,
  // 2: idempotency keys in a rowid table. A key row carries the whole stored response (~0.5 KB);
  // in a WITHOUT ROWID table that row was inserted at its key's place in the primary-key tree,
  // so random client keys split pages all over a large tree. Here the row is appended and only
  // the small (principal, key) index entry goes to a random place: measured 3.9 -> 2.8 µs per
  // insert (SQLite's own advice: WITHOUT ROWID suits rows under ~1/20 of a page).
  `
  CREATE TABLE idempotency_keys_v2 (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    response TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    lease_until INTEGER,
    PRIMARY KEY (principal, key)
  );
  INSERT INTO idempotency_keys_v2 SELECT principal, key, fingerprint, state, response, created_at, expires_at, lease_until FROM idempotency_keys;
  DROP TABLE idempotency_keys;
  ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;
  CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
  `,
  // 3: a document row may keep only its client fields (sqlite-document-body.ts); rows written
  // before this migration keep their whole representation (kind 0) and read as before.
  `
  ALTER TABLE documents ADD COLUMN body_kind INTEGER NOT NULL DEFAULT 0;
  `,
  // 4: history in a rowid table, for the reason of migration 2: a version row carries a whole
  // representation (~400 bytes), and in a WITHOUT ROWID table each one was inserted inside its
  // document's run of versions, moving big cells and splitting pages all over the tree. Appended
  // rows plus the small primary-key index entry measured 45–73 -> 23–43 µs per insert, commit
  // included (batches of 28 into 1k and 100k documents' histories, WAL, synchronous=FULL).
  `
  CREATE TABLE versions_v2 (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    change TEXT NOT NULL,
    body TEXT,
    etag TEXT,
    at TEXT NOT NULL,
    principal TEXT NOT NULL,
    request_id TEXT NOT NULL,
    method TEXT NOT NULL,
    idempotency_key TEXT,
    PRIMARY KEY (collection, id, version)
  );
  INSERT INTO versions_v2 SELECT collection, id, version, change, body, etag, at, principal, request_id, method, idempotency_key FROM versions;
  DROP TABLE versions;
  ALTER TABLE versions_v2 RENAME TO versions;
  `,
  // 5: no expiry index on idempotency keys. Each keyed write paid a third B-tree insert for it
  // (measured ~5 µs of the ~18 µs a key row adds to a POST, in process). Rows are appended in
  // write order, so the pruner walks the table from its lowest rowid instead (sqlite.ts).
  `
  DROP INDEX idempotency_keys_expiry;
  `,
  // 6: history as one chain of versions per resource (sqlite-history.ts). The primary-key index
  // on (collection, id, version) put every write's entry inside its resource's run of entries:
  // once resources have dozens of versions, each write of a batch dirtied an index page of its
  // own (PUT at 1k resources wrote ~2x the WAL pages per request it wrote at 100k). Now a
  // version points to the one before it (prev), the documents row to the newest (history_head),
  // and only every 16th version is indexed, for finding a version without walking the whole
  // chain. seq is an INTEGER PRIMARY KEY so the pointers survive VACUUM (a plain rowid may not).
  `
  CREATE TABLE versions_v3 (
    seq INTEGER PRIMARY KEY,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    change TEXT NOT NULL,
    body TEXT,
    etag TEXT,
    at TEXT NOT NULL,
    principal TEXT NOT NULL,
    request_id TEXT NOT NULL,
    method TEXT NOT NULL,
    idempotency_key TEXT,
    prev INTEGER
  );
  INSERT INTO versions_v3 (seq, collection, id, version, change, body, etag, at, principal, request_id, method, idempotency_key, prev)
    SELECT v.rowid, v.collection, v.id, v.version, v.change, v.body, v.etag, v.at, v.principal, v.request_id, v.method, v.idempotency_key,
      (SELECT p.rowid FROM versions p WHERE p.collection = v.collection AND p.id = v.id AND p.version < v.version ORDER BY p.version DESC LIMIT 1)
    FROM versions v;
  ALTER TABLE documents ADD COLUMN history_head INTEGER;
  UPDATE documents SET history_head =
    (SELECT v.rowid FROM versions v WHERE v.collection = documents.collection AND v.id = documents.id ORDER BY v.version DESC LIMIT 1);
  DROP TABLE versions;
  ALTER TABLE versions_v3 RENAME TO versions;
  CREATE INDEX versions_every_16th ON versions (collection, id, version) WHERE version % 16 = 0;
  `,
  // 7: a keyed write's stored response may end with the body of the versions row it wrote,
  // instead of a second copy of it (sqlite-idempotency.ts). Rows without it read as before.
  `
  ALTER TABLE idempotency_keys ADD COLUMN response_body_seq INTEGER;
  `,
];
