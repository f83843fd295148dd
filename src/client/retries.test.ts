import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from './client.js';
import { RetryRefusedError, TimeoutError } from './errors.js';
import { startFaultProxy, type FaultProxy } from './test-support/fault-proxy.js';
import { targets, type Target } from './test-support/targets.js';
import type { ClientOptions } from './types.js';

/*
 * Retries through a fault-injecting proxy in front of each target API, over real sockets.
 * The proxy can lose a response after the API has committed, which no well-behaved server
 * can be asked to do.
 */
interface Ticket {
  subject: string;
  status: 'open' | 'pending' | 'closed';
  notes?: string[];
}

describe.each(targets)('retries against $name', ({ start }) => {
  let target: Target;
  let proxy: FaultProxy;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(async () => target.close());
  afterEach(async () => proxy?.close());

  async function setup(options: Partial<ClientOptions> = {}): Promise<Client> {
    proxy = await startFaultProxy(target.url);
    return createClient({ baseUrl: proxy.url, retry: { baseDelay: 10 }, ...options });
  }

  const posts = () => proxy.requests.filter((r) => r.method === 'POST');
  const uniqueSubject = () => `Printer ${Math.random().toString(36).slice(2, 10)}`;
  /** How many tickets with this subject exist, counted with GET list. */
  async function countTickets(client: Client, subject: string): Promise<number> {
    const all = await client.resource<Ticket>('tickets').listAll();
    if (!all.ok) throw new Error(`list failed: ${all.kind}`);
    return all.data.filter((t) => t.subject === subject).length;
  }

  describe('lost responses', () => {
    it('a POST whose response was lost is retried with the same key and creates exactly one resource', async () => {
      const client = await setup();
      const tickets = client.resource<Ticket>('tickets');
      const subject = uniqueSubject();
      proxy.dropResponses(1, (r) => r.method === 'POST');

      const created = await tickets.create({ subject, status: 'open' });

      expect(created).toMatchObject({ ok: true, status: 201, replayed: true, attempts: 2 });
      expect(posts()).toHaveLength(2);
      expect(posts()[0]?.fault).toBe('drop-response');
      expect(posts()[1]?.headers['idempotency-key']).toBe(posts()[0]?.headers['idempotency-key']);
      expect(posts()[0]?.headers['idempotency-key']).toBe(`"${created.idempotencyKey}"`);
      expect(await countTickets(client, subject)).toBe(1);
    });

    it('a POST without a key is never retried: the failure says network, and nothing is created twice', async () => {
      const client = await setup();
      const tickets = client.resource<Ticket>('tickets');
      const subject = uniqueSubject();
      proxy.dropResponses(1, (r) => r.method === 'POST');

      const created = await tickets.create({ subject, status: 'open' }, { idempotencyKey: false });

      expect(created).toMatchObject({ ok: false, kind: 'network', attempts: 1 });
      expect(created.idempotencyKey).toBeUndefined();
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.headers['idempotency-key']).toBeUndefined();
      expect(await countTickets(client, subject)).toBe(1);
    });

    it('a caller-chosen key comes back on failure and, reused later, replays the original outcome', async () => {
      const client = await setup({ retry: false });
      const tickets = client.resource<Ticket>('tickets');
      const subject = uniqueSubject();
      const key = `ticket-${subject}`.replace(/ /g, '-');
      proxy.dropResponses(1, (r) => r.method === 'POST');

      const lost = await tickets.create({ subject, status: 'open' }, { idempotencyKey: key });
      expect(lost).toMatchObject({ ok: false, kind: 'network', idempotencyKey: key });

      const again = await tickets.create({ subject, status: 'open' }, { idempotencyKey: lost.idempotencyKey ?? '' });
      expect(again).toMatchObject({ ok: true, status: 201, replayed: true, idempotencyKey: key });
      expect(await countTickets(client, subject)).toBe(1);
    });

    it('a lost PUT response is retried: PUT is idempotent (RFC 9110 §9.2.2)', async () => {
      const client = await setup();
      const tickets = client.resource<Ticket>('tickets');
      const subject = uniqueSubject();
      const made = await tickets.create({ subject, status: 'open' });
      if (!made.ok) throw new Error('setup failed');
      proxy.dropResponses(1, (r) => r.method === 'PUT');

      const replaced = await tickets.replace(made.data.id, { subject, status: 'closed' });

      expect(replaced).toMatchObject({ ok: true, status: 200, attempts: 2, data: { status: 'closed', version: 2 } });
    });
  });

  describe('what is not retried', () => {
    it('422 (key reused with a different body) is returned at once, never retried', async () => {
      const client = await setup();
      const tickets = client.resource<Ticket>('tickets');
      expect((await tickets.create({ subject: 'first', status: 'open' }, { idempotencyKey: 'k-422' })).ok).toBe(true);

      const reused = await tickets.create({ subject: 'second', status: 'open' }, { idempotencyKey: 'k-422' });

      expect(reused).toMatchObject({ ok: false, kind: 'idempotency-mismatch', status: 422, attempts: 1, idempotencyKey: 'k-422' });
      expect(posts()).toHaveLength(2);
    });

    it('a 404 is returned at once', async () => {
      const client = await setup();
      expect(await client.get('/tickets/no-such-ticket')).toMatchObject({ ok: false, kind: 'not-found', attempts: 1 });
      expect(proxy.requests).toHaveLength(1);
    });
  });

  describe('503 with Retry-After', () => {
    it('is retried after the advertised delay, N times, then succeeds', async () => {
      const delays: number[] = [];
      const client = await setup({ hooks: { beforeRetry: [({ delay }) => void delays.push(delay)] } });
      proxy.unavailable(2, 1);

      const listed = await client.get('/tickets');

      expect(listed).toMatchObject({ ok: true, status: 200, attempts: 3 });
      expect(delays).toEqual([1000, 1000]);
      // The retries really waited (a lower bound: a slow machine only makes the gaps longer).
      const [a, b, c] = proxy.requests.map((r) => r.at);
      expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(990);
      expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(990);
    });

    it('a Retry-After that would end past the deadline is not waited for: the 503 comes back after one attempt', async () => {
      const client = await setup({ deadline: 5_000 });
      proxy.unavailable(1, 30);

      const listed = await client.get('/tickets');

      expect(listed).toMatchObject({ ok: false, kind: 'server', status: 503, attempts: 1 });
      expect(!listed.ok && listed.error).toBeInstanceOf(RetryRefusedError);
      expect(proxy.requests).toHaveLength(1);
    });
  });

  describe('timeouts, deadline and abort', () => {
    it('an attempt that hangs past its timeout is abandoned and retried', async () => {
      const client = await setup({ timeout: 300 });
      proxy.hang(1);

      const listed = await client.get('/tickets');

      expect(listed).toMatchObject({ ok: true, status: 200, attempts: 2 });
      expect(proxy.requests.map((r) => r.fault)).toEqual(['hang', 'forward']);
    });

    it('the deadline bounds the whole call, even when the attempt timeout is longer', async () => {
      const client = await setup({ timeout: 600_000, deadline: 300 });
      proxy.hang(5);

      const listed = await client.get('/tickets');

      expect(listed).toMatchObject({ ok: false, kind: 'timeout' });
      expect(!listed.ok && listed.error).toBeInstanceOf(TimeoutError);
      expect(!listed.ok && (listed.error as TimeoutError).budget).toBe('deadline');
    });

    it('abort cancels an attempt in flight', async () => {
      const client = await setup({ timeout: 600_000 });
      proxy.hang(1);
      const controller = new AbortController();

      const pending = client.get('/tickets', { signal: controller.signal });
      await proxy.waitForRequests(1);
      controller.abort(new Error('user navigated away'));

      expect(await pending).toMatchObject({ ok: false, kind: 'aborted', attempts: 1, error: new Error('user navigated away') });
      expect(proxy.requests).toHaveLength(1);
    });

    it('abort cancels the wait before a retry (an hour-long Retry-After)', async () => {
      const controller = new AbortController();
      const client = await setup({
        retry: { maxRetryAfter: 3_600_000 },
        deadline: 7_200_000,
        hooks: { beforeRetry: [() => void setTimeout(() => controller.abort(), 20)] },
      });
      proxy.unavailable(1, 3600);

      const listed = await client.get('/tickets', { signal: controller.signal });

      expect(listed).toMatchObject({ ok: false, kind: 'aborted' });
      expect(proxy.requests).toHaveLength(1);
    });
  });

  describe('hooks', () => {
    it('beforeRequest can add headers, afterResponse sees every attempt\'s response', async () => {
      const seen: number[] = [];
      const client = await setup({
        hooks: {
          beforeRequest: [({ headers, attempt }) => headers.set('x-attempt', String(attempt))],
          afterResponse: [({ response }) => void seen.push(response.status)],
        },
      });
      proxy.unavailable(1, 0);

      await client.get('/tickets');

      expect(proxy.requests.map((r) => r.headers['x-attempt'])).toEqual(['1', '2']);
      expect(seen).toEqual([503, 200]);
    });

    it('a bearer token is sent on every attempt, from a function when given one', async () => {
      let n = 0;
      const client = await setup({ token: () => `t${++n}` });
      proxy.unavailable(1, 0);
      await client.get('/tickets');
      expect(proxy.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    });
  });
});
