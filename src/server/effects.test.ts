import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './test-support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'idem-effects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = { 'content-type': 'application/json' };

async function start(name: string): Promise<ServerProcess> {
  return startServerProcess(['--db', `sqlite:${join(dir, `${name}.db`)}`, '--payments-db', join(dir, `${name}-payments.db`), '--effect-retry', '50ms', '--effect-lease', '1s']);
}

async function chargesFor(url: string, orderId: string): Promise<unknown[]> {
  const { items } = (await (await fetch(`${url}/demo-payments/charges`)).json()) as { items: Array<{ orderId: string }> };
  return items.filter((c) => c.orderId === orderId);
}

interface EffectState {
  state: string;
  attempts: number;
  idempotencyKey: string;
}

async function effectsOf(url: string, orderId: string): Promise<EffectState[]> {
  return ((await (await fetch(`${url}/orders/${orderId}/effects`)).json()) as { items: EffectState[] }).items;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const delivered = (url: string, id: string) => until('delivery', async () => ((await effectsOf(url, id))[0]?.state === 'delivered' ? (await effectsOf(url, id))[0] : undefined));

describe('side effects happen once (SPEC §5)', () => {
  it('the same order POST retried 5 times and sent 5 times concurrently yields one order and one charge', async () => {
    const server = await start('retry');
    try {
      const body = JSON.stringify({ items: ['book'], charge_card: true });
      const send = () => fetch(`${server.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"order-1"' }, body });
      const sequential = [];
      for (let i = 0; i < 5; i++) sequential.push(await send());
      const concurrent = await Promise.all(Array.from({ length: 5 }, send));
      const all = [...sequential, ...concurrent];
      expect(all.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      const id = (await (sequential[0] as Response).json() as { id: string }).id;
      const effect = await delivered(server.url, id);
      expect(effect.idempotencyKey).toBe('order-1:charge');
      expect(await chargesFor(server.url, id)).toHaveLength(1);
      const orders = (await (await fetch(`${server.url}/orders`)).json()) as { items: unknown[] };
      expect(orders.items).toHaveLength(1);
    } finally {
      await server.kill();
    }
  });

  it('a payment service that fails (503) the first 3 times still charges exactly once', async () => {
    const server = await start('flaky');
    try {
      await fetch(`${server.url}/demo-payments/faults`, { method: 'POST', headers: json, body: '{"failNext":3}' });
      const res = await fetch(`${server.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"flaky-1"' }, body: '{"items":["lamp"],"charge_card":true}' });
      const { id } = (await res.json()) as { id: string };
      const effect = await delivered(server.url, id);
      expect(effect.attempts).toBe(4);
      expect(await chargesFor(server.url, id)).toHaveLength(1);
      // The history entry of the change that triggered it shows its delivery state too.
      const v1 = (await (await fetch(`${server.url}/orders/${id}/versions/1`)).json()) as { effects: EffectState[] };
      expect(v1.effects).toEqual([expect.objectContaining({ effect: 'charge', state: 'delivered', attempts: 4, idempotencyKey: 'flaky-1:charge' })]);
    } finally {
      await server.kill();
    }
  });

  it('an order without charge_card triggers no charge', async () => {
    const server = await start('nocharge');
    try {
      const res = await fetch(`${server.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"free"' }, body: '{"items":["gift"]}' });
      const { id } = (await res.json()) as { id: string };
      expect(await effectsOf(server.url, id)).toEqual([]);
      expect(await chargesFor(server.url, id)).toEqual([]);
    } finally {
      await server.kill();
    }
  });

  it('a server killed between commit and delivery delivers after restart, once', async () => {
    const first = await start('crash');
    await fetch(`${first.url}/demo-payments/faults`, { method: 'POST', headers: json, body: '{"failNext":100000}' });
    const res = await fetch(`${first.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"crash-1"' }, body: '{"items":["kettle"],"charge_card":true}' });
    const { id } = (await res.json()) as { id: string };
    await until('a failed attempt', async () => ((await effectsOf(first.url, id))[0]?.attempts ?? 0) >= 1 || undefined);
    expect(await chargesFor(first.url, id)).toEqual([]);
    await first.kill('SIGKILL');

    const second = await start('crash');
    try {
      await fetch(`${second.url}/demo-payments/faults`, { method: 'POST', headers: json, body: '{"failNext":0}' });
      await delivered(second.url, id);
      expect(await chargesFor(second.url, id)).toHaveLength(1);
      // The retry of the original request replays; it does not charge again.
      const retry = await fetch(`${second.url}/orders`, { method: 'POST', headers: { ...json, 'idempotency-key': '"crash-1"' }, body: '{"items":["kettle"],"charge_card":true}' });
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      await new Promise((r) => setTimeout(r, 300));
      expect(await chargesFor(second.url, id)).toHaveLength(1);
    } finally {
      await second.kill();
    }
  });
});
