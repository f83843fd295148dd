import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseIdempotencyKey } from '../idempotency/key.js';
import { PROBLEM_MEDIA_TYPE, ProblemError } from '../http/problem.js';

/**
 * A small fake card network for the example API (SPEC §5): POST /demo-payments/charges records
 * a charge and deduplicates by Idempotency-Key, the way a real payment provider does. Charges
 * live in their own SQLite file, so several idem instances (and restarts) see one ledger.
 *
 * POST /demo-payments/faults {"failNext": n} makes the next n charges answer 503, to show that
 * retried deliveries still charge once.
 */
/**
 * The fake stands for an outside service with its own (here: no) authentication, so the API's
 * keys do not apply to it: the effects dispatcher calls it without credentials.
 */
const PUBLIC = { config: { idemPublic: true } } as const;

/** How long start-up keeps retrying a ledger that another instance is setting up at the same moment. */
const LEDGER_SETUP_MS = 10_000;

/**
 * Open the ledger, which several instances may open at the same moment: instances on one
 * PostgreSQL share one ledger file (the multi-instance test and the bench's 2-instance peer do).
 * Turning a new file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once,
 * without waiting in its busy handler, where waiting could deadlock. Seen as "idem: database is
 * locked" when two `idem serve` instances started together on one new ledger (a multi-instance
 * test run), and in up to 6 of 240 opens of one new file by 8 processes started on the same
 * millisecond. So the set-up is retried until it succeeds, for a while.
 */
function openLedger(path: string): Database.Database {
  const deadline = Date.now() + LEDGER_SETUP_MS;
  for (;;) {
    const db = new Database(path, { timeout: 5000 });
    try {
      db.pragma('journal_mode = WAL');
      db.exec(`BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS charges (
          idempotency_key TEXT PRIMARY KEY, id TEXT NOT NULL, order_id TEXT, resource TEXT, request TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS faults (name TEXT PRIMARY KEY, remaining INTEGER NOT NULL);
        COMMIT;`);
      return db;
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      // Start-up only, before the server listens: a short synchronous pause, jittered so that
      // instances that collided do not collide again.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}

export function registerDemoPayments(app: FastifyInstance, path: string): void {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openLedger(path);
  const insert = db.prepare('INSERT OR IGNORE INTO charges VALUES (?, ?, ?, ?, ?, ?)');
  const byKey = db.prepare('SELECT * FROM charges WHERE idempotency_key = ?');
  const all = db.prepare('SELECT * FROM charges ORDER BY created_at, id');
  const takeFault = db.prepare(`UPDATE faults SET remaining = remaining - 1 WHERE name = 'failNext' AND remaining > 0`);
  const setFault = db.prepare(`INSERT OR REPLACE INTO faults VALUES ('failNext', ?)`);
  app.addHook('onClose', async () => db.close());

  const toJson = (row: Record<string, string>) => ({
    id: row['id'],
    idempotencyKey: row['idempotency_key'],
    orderId: row['order_id'],
    resource: row['resource'],
    createdAt: row['created_at'],
  });
  const problem = (reply: import('fastify').FastifyReply, error: ProblemError) =>
    reply.code(error.status).headers({ 'content-type': PROBLEM_MEDIA_TYPE, ...error.headers }).send(JSON.stringify(error.problem));

  app.post('/demo-payments/charges', PUBLIC, async (request, reply) => {
    if (takeFault.run().changes > 0) {
      return problem(reply, new ProblemError('service-unavailable', 'The demo payment service was told to fail this charge; retry later.', {}, { 'retry-after': '1' }));
    }
    const raw = request.headers['idempotency-key'];
    const parsed = raw === undefined ? undefined : parseIdempotencyKey(raw);
    if (!parsed?.ok) {
      return problem(reply, new ProblemError('idempotency-key-required', 'A charge needs a valid Idempotency-Key so a retried charge is not taken twice.'));
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.from(request.body as Buffer).toString('utf8')) as Record<string, unknown>;
    } catch {
      return problem(reply, new ProblemError('malformed-json', 'The charge request is not valid JSON.'));
    }
    const fresh = insert.run(parsed.key, randomUUID(), String(body['id'] ?? ''), String(body['resource'] ?? ''), JSON.stringify(body), new Date().toISOString()).changes > 0;
    const charge = toJson(byKey.get(parsed.key) as Record<string, string>);
    return reply.code(fresh ? 201 : 200).headers(fresh ? {} : { 'idempotent-replayed': 'true' }).send(charge);
  });

  app.get('/demo-payments/charges', PUBLIC, async () => ({ items: (all.all() as Array<Record<string, string>>).map(toJson) }));

  app.post('/demo-payments/faults', PUBLIC, async (request, reply) => {
    let failNext = Number.NaN;
    try {
      failNext = Number((JSON.parse(Buffer.from(request.body as Buffer).toString('utf8')) as { failNext?: unknown }).failNext);
    } catch {
      // answered below
    }
    if (!Number.isInteger(failNext) || failNext < 0) {
      return problem(reply, new ProblemError('invalid-document', 'Send {"failNext": n} with n a whole number of charges to fail.'));
    }
    setFault.run(failNext);
    return reply.code(204).send();
  });
}
