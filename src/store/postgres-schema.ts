/**
 * The PostgreSQL schema, as numbered migrations applied in order and recorded in
 * `idem_migrations` (postgres-migrate.ts). Add a migration; never edit one that has shipped.
 *
 * The layout mirrors sqlite-schema.ts so both stores behave alike, with these differences:
 * - `id` columns use `COLLATE "C"`: keyset pagination orders ids byte-wise, as SQLite's
 *   BINARY collation does, whatever the database's locale is.
 * - `documents.doc` holds the body as jsonb (NULL for a tombstone) for equality filters;
 *   `body` keeps the exact text that GET serves.
 * - Epoch-millisecond times are `bigint`.
 */
export const postgresMigrations: readonly string[] = [
  `
  CREATE TABLE idem_documents (
    collection text NOT NULL,
    id text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    etag text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    body text NOT NULL,
    doc jsonb,
    PRIMARY KEY (collection, id)
  );
  CREATE INDEX idem_documents_doc ON idem_documents USING gin (doc jsonb_path_ops);

  CREATE TABLE idem_versions (
    collection text NOT NULL,
    id text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    change text NOT NULL,
    body text,
    etag text,
    at text NOT NULL,
    principal text NOT NULL,
    request_id text NOT NULL,
    method text NOT NULL,
    idempotency_key text,
    PRIMARY KEY (collection, id, version)
  );

  CREATE TABLE idem_unique_values (
    collection text NOT NULL,
    field text NOT NULL,
    value text NOT NULL,
    id text COLLATE "C" NOT NULL,
    PRIMARY KEY (collection, field, value)
  );
  CREATE INDEX idem_unique_values_owner ON idem_unique_values (collection, id);

  CREATE TABLE idem_idempotency_keys (
    principal text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    state text NOT NULL,
    response text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    lease_until bigint,
    PRIMARY KEY (principal, key)
  );
  CREATE INDEX idem_idempotency_keys_expiry ON idem_idempotency_keys (expires_at);

  CREATE TABLE idem_outbox (
    id text COLLATE "C" PRIMARY KEY,
    collection text NOT NULL,
    resource_id text COLLATE "C" NOT NULL,
    effect text NOT NULL,
    idempotency_key text NOT NULL,
    payload text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    last_error text,
    created_at bigint NOT NULL,
    delivered_at bigint
  );
  CREATE INDEX idem_outbox_due ON idem_outbox (state, next_attempt_at);
  CREATE INDEX idem_outbox_resource ON idem_outbox (collection, resource_id);
  `,
];
