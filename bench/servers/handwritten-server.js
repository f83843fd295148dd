/**
 * The hand-written peer: what a user would write with Fastify + better-sqlite3 in an
 * afternoon. Same durability settings as idem (WAL, synchronous=FULL), the JSON body in a TEXT
 * column, a Fastify JSON schema on writes, a version-number ETag and If-Match on PUT — and none
 * of idem's idempotency keys, history, problem details or unique claims.
 *
 * Usage: `node bench/servers/handwritten-server.js <port> <db path>`
 */
import Fastify from 'fastify';
import Database from 'better-sqlite3';

const port = Number(process.argv[2] ?? 0);
const dbPath = process.argv[3] ?? ':memory:';

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  body TEXT NOT NULL
)`);

const selectOne = db.prepare('SELECT * FROM customers WHERE id = ?');
const insertOne = db.prepare('INSERT INTO customers (version, created_at, updated_at, body) VALUES (1, ?, ?, ?)');
const updateOne = db.prepare('UPDATE customers SET version = ?, updated_at = ?, body = ? WHERE id = ?');

const customerSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string' }, age: { type: 'integer' }, city: { type: 'string' } },
};
const patchSchema = { ...customerSchema, required: [] };

/** The representation: client fields plus id, version and timestamps, like idem's. */
function represent(row) {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...JSON.parse(row.body),
  };
}

/** One write in one transaction, so the If-Match check and the update cannot interleave. */
const replace = db.transaction((id, ifMatch, fields) => {
  const row = selectOne.get(id);
  if (!row) return { status: 404 };
  if (ifMatch !== undefined && ifMatch !== `"${row.version}"`) return { status: 412 };
  updateOne.run(row.version + 1, new Date().toISOString(), JSON.stringify(fields), id);
  return { status: 200, row: selectOne.get(id) };
});

const app = Fastify({ logger: false });
app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (_req, body, done) => {
  try {
    done(null, JSON.parse(body));
  } catch (err) {
    err.statusCode = 400;
    done(err, undefined);
  }
});

app.get('/customers/:id', async (req, reply) => {
  const row = selectOne.get(Number(req.params.id));
  if (!row) return reply.code(404).send({ error: 'not found' });
  return reply.header('etag', `"${row.version}"`).send(represent(row));
});

app.post('/customers', { schema: { body: customerSchema } }, async (req, reply) => {
  const now = new Date().toISOString();
  const info = insertOne.run(now, now, JSON.stringify(req.body));
  const row = selectOne.get(info.lastInsertRowid);
  return reply.code(201).header('location', `/customers/${row.id}`).header('etag', '"1"').send(represent(row));
});

app.put('/customers/:id', { schema: { body: customerSchema } }, async (req, reply) => {
  const result = replace(Number(req.params.id), req.headers['if-match'], req.body);
  if (result.status !== 200) return reply.code(result.status).send({ error: result.status === 404 ? 'not found' : 'precondition failed' });
  return reply.header('etag', `"${result.row.version}"`).send(represent(result.row));
});

app.patch('/customers/:id', { schema: { body: patchSchema } }, async (req, reply) => {
  const id = Number(req.params.id);
  const merged = db.transaction(() => {
    const row = selectOne.get(id);
    if (!row) return undefined;
    // RFC 7396 on a flat document: null removes a field, anything else replaces it.
    const fields = JSON.parse(row.body);
    for (const [k, v] of Object.entries(req.body)) {
      if (v === null) delete fields[k];
      else fields[k] = v;
    }
    return replace(id, undefined, fields);
  })();
  if (!merged) return reply.code(404).send({ error: 'not found' });
  return reply.header('etag', `"${merged.row.version}"`).send(represent(merged.row));
});

app.get('/healthz', async () => ({ ok: true }));

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`handwritten listening on 127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  app.close().then(() => {
    db.close();
    process.exit(0);
  });
});
