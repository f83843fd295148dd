/**
 * Several `idem serve` processes on one PostgreSQL, over real sockets: nothing is lost or
 * duplicated across instances (docs/POSTGRES.md). Needs `npm run build` (npm test runs it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from './postgres.js';
import type { Store } from './store.js';
import { startIdemProcess, type IdemProcess } from './test-support/idem-process.js';
import { createTestDatabase, type TestDatabase } from './test-support/postgres.js';

interface Sent {
  status: number;
  headers: Headers;
  body: string;
}

async function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** The path of a Location header, whether absolute or relative. */
const pathOf = (location: string | null): string => new URL(location ?? '/', 'http://x').pathname;

describe('several idem serve instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let dir: string;
  let args: string[];
  let a: IdemProcess;
  let b: IdemProcess;
  const extra: IdemProcess[] = [];
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase('idem_multi');
    dir = await mkdtemp(join(tmpdir(), 'idem-multi-'));
    // One demo payment ledger for both instances, as one real payment provider would be.
    args = ['--db', database.url, '--payments-db', join(dir, 'payments.db')];
    // Started together: both migrate the same empty database at once. If one fails to start,
    // the other is stopped here: afterAll cannot, as neither is assigned (an orphaned `idem
    // serve` outlived a failed run once; the exit handler in idem-process.ts did not run).
    const started = await Promise.allSettled([startIdemProcess(args), startIdemProcess(args)]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      throw failed.reason;
    }
    [a, b] = started.map((s) => (s as PromiseFulfilledResult<IdemProcess>).value) as [IdemProcess, IdemProcess];
    store = await openPostgresStore(database.url, { max: 2 });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), ...extra.map((p) => p.stop())]);
    await store?.close();
    await database?.drop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const instance = (i: number): IdemProcess => (i % 2 === 0 ? a : b);
  /** What the servers logged, to explain a failure. */
  const logs = (): string => [a, b, ...extra].map((p) => p.output()).join('\n');

  it('20 concurrent If-Match PUTs split across both instances: exactly one 200, the rest 412', async () => {
    const created = await send(a.url, 'POST', '/customers', { name: 'Ann' });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag');
    const path = pathOf(created.headers.get('location'));
    expect(etag).toBeTruthy();

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(instance(i).url, 'PUT', path, { name: `Writer ${i}` }, { 'if-match': etag ?? '' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);

    const winner = responses.find((r) => r.status === 200);
    const [fromA, fromB] = await Promise.all([send(a.url, 'GET', path), send(b.url, 'GET', path)]);
    expect(fromA.body).toBe(winner?.body);
    expect(fromB.body).toBe(winner?.body);
    expect(JSON.parse(fromA.body)).toMatchObject({ version: 2 });
  });

  it('40 concurrent create-only PUTs (If-None-Match: *) of one new id across both instances: exactly one 201, the rest 412', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send(instance(i).url, 'PUT', '/flights/XY123', { status: 'ontime', gate: `G${i}` }, { 'if-none-match': '*' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201), `${statuses.join(' ')}\n${logs()}`).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(39);
    const stored = await send(b.url, 'GET', '/flights/XY123');
    expect(stored.body).toBe(responses.find((r) => r.status === 201)?.body);
    expect(JSON.parse(stored.body)).toMatchObject({ version: 1 });
  });

  it('10 concurrent POSTs with one Idempotency-Key split across both instances create exactly one order', async () => {
    const list = async () => (JSON.parse((await send(a.url, 'GET', '/orders?limit=100')).body) as { items: unknown[] }).items.length;
    const before = await list();
    const post = (i: number) => send(instance(i).url, 'POST', '/orders', { items: ['book'] }, { 'idempotency-key': '"k1"' });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i)));

    for (const r of responses) expect([201, 409], `status ${r.status}: ${r.body}\n${logs()}`).toContain(r.status);
    const created = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(created).toHaveLength(1);
    for (const r of responses.filter((r) => r.status === 201)) {
      expect(r.headers.get('location')).toBe(created[0]?.headers.get('location'));
    }
    for (const r of responses.filter((r) => r.status === 409)) expect(r.headers.get('retry-after')).toBeTruthy();

    // A retry on either instance, once the first has finished, replays the one order.
    for (const i of [0, 1]) {
      const retry = await post(i);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('location')).toBe(created[0]?.headers.get('location'));
      expect(retry.body).toBe(created[0]?.body);
    }
    expect(await list()).toBe(before + 1);
  });

  it('charge effects of orders taken by both instances are delivered once each', async () => {
    const orders = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        send(instance(i).url, 'POST', '/orders', { items: ['book'], charge_card: true }, { 'idempotency-key': `"charge-${i}"` }),
      ),
    );
    const ids = orders.map((r) => {
      expect(r.status, `${r.body}\n${logs()}`).toBe(201);
      return (JSON.parse(r.body) as { id: string }).id;
    });

    // Both instances' dispatchers poll the one outbox; wait until every effect is settled.
    const deadline = Date.now() + 30_000;
    while ((await store.countPendingEffects()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const charges = (JSON.parse((await send(b.url, 'GET', '/demo-payments/charges')).body) as { items: Array<{ orderId: string }> }).items;
    for (const id of ids) {
      expect(charges.filter((c) => c.orderId === id), `charges of order ${id}`).toHaveLength(1);
      // One claim, one delivery: no second dispatcher ever took the row.
      const effects = await store.listEffects('orders', id);
      expect(effects.map((e) => [e.state, e.attempts])).toEqual([['delivered', 1]]);
    }
  });

  it('an instance killed (SIGKILL) mid-load loses no acknowledged write', async () => {
    const victim = await startIdemProcess(args);
    extra.push(victim);
    const acknowledged: Array<{ path: string; body: string; via: string }> = [];
    let victimAcks = 0;
    let crashed: Promise<void> | undefined;
    let sent = 0;

    // Six clients, alternating between the survivor and the victim, 90 creates in all.
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (sent < 90) {
          const n = sent++;
          const target = n % 2 === 0 ? a : victim;
          try {
            const r = await send(target.url, 'POST', '/customers', { name: `load-${n}` });
            if (r.status >= 500) throw new Error(`server error ${r.status}: ${r.body}\n${logs()}`);
            if (r.status === 201) {
              acknowledged.push({ path: pathOf(r.headers.get('location')), body: r.body, via: target === a ? 'survivor' : 'victim' });
              if (target === victim && ++victimAcks === 15) crashed = victim.crash();
            }
          } catch (error) {
            // Requests to the victim may fail once it is dead: they were never acknowledged.
            if (target !== victim || crashed === undefined) throw error;
          }
        }
      }),
    );
    await crashed;

    expect(crashed).toBeDefined();
    expect(acknowledged.filter((w) => w.via === 'victim').length).toBeGreaterThanOrEqual(15);
    // Every acknowledged write, whichever instance took it, is there after the crash.
    for (const write of acknowledged) {
      const read = await send(a.url, 'GET', write.path);
      expect(read.status, write.path).toBe(200);
      expect(read.body).toBe(write.body);
    }
  });
});
