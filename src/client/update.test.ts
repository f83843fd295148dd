import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from './client.js';
import type { Doc } from './resource.js';
import { targets, type Target } from './test-support/targets.js';
import type { MergeConflict } from './types.js';

interface Ticket {
  subject: string;
  status: 'open' | 'pending' | 'closed';
  notes?: string[];
}

/** Resolves every waiter once `n` have arrived: makes two updates read before either writes. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === n) release();
    return all;
  };
}

describe.each(targets)('update() against $name', ({ start }) => {
  let target: Target;
  let client: Client;
  beforeAll(async () => {
    target = await start();
    client = createClient({ baseUrl: target.url, retry: { baseDelay: 10 } });
  });
  afterAll(async () => target.close());

  const newTicket = async (): Promise<Doc<Ticket>> => {
    const made = await client.resource<Ticket>('tickets').create({ subject: 'Printer jammed', status: 'open', notes: [] });
    if (!made.ok) throw new Error(`could not create a ticket: ${made.kind}`);
    return made.data;
  };

  it('the ticket story: two concurrent updates of different fields both land, with no error', async () => {
    const tickets = client.resource<Ticket>('tickets');
    const { id } = await newTicket();
    const bothRead = barrier(2);

    const [close, note] = await Promise.all([
      tickets.update(id, async (t) => {
        await bothRead();
        t.status = 'closed';
      }),
      tickets.update(id, async (t) => {
        await bothRead();
        t.notes = [...(t.notes ?? []), 'Replaced the toner'];
      }),
    ]);

    expect(close.ok, JSON.stringify(close)).toBe(true);
    expect(note.ok, JSON.stringify(note)).toBe(true);
    const final = await tickets.get(id);
    expect(final).toMatchObject({ ok: true, data: { status: 'closed', notes: ['Replaced the toner'], version: 3 } });
  });

  it('overlapping edits return a conflict with base, mine, theirs and the fields, and write nothing', async () => {
    const tickets = client.resource<Ticket>('tickets');
    const { id } = await newTicket();
    const bothRead = barrier(2);

    const results = await Promise.all(
      (['closed', 'pending'] as const).map((status) =>
        tickets.update(id, async (t) => {
          await bothRead();
          t.status = status;
        }),
      ),
    );

    const winner = results.find((r) => r.ok);
    const loser = results.find((r) => !r.ok) as MergeConflict<Doc<Ticket>>;
    expect(winner).toBeDefined();
    expect(loser).toMatchObject({ ok: false, kind: 'conflict', status: 412, fields: ['status'] });
    expect(loser.base).toMatchObject({ status: 'open', version: 1 });
    expect(loser.theirs).toMatchObject({ status: winner?.ok && winner.data.status, version: 2 });
    expect(loser.mine.status).not.toBe(loser.theirs.status);
    const final = await tickets.get(id);
    expect(final).toMatchObject({ ok: true, data: { version: 2, status: loser.theirs.status } });
  });

  it('an update that changes nothing sends no PUT and returns what it read', async () => {
    const { id } = await newTicket();
    const same = await client.resource<Ticket>('tickets').update(id, () => undefined);
    expect(same).toMatchObject({ ok: true, status: 200, data: { version: 1 } });
  });

  it('the mutator may return a new document instead of changing the draft', async () => {
    const { id } = await newTicket();
    const done = await client.update<Doc<Ticket>>(`/tickets/${id}`, (t) => ({ ...t, subject: 'Printer fixed' }));
    expect(done).toMatchObject({ ok: true, data: { subject: 'Printer fixed', version: 2 } });
  });

  it('updating a missing resource is not-found, and nothing is written', async () => {
    expect(await client.resource<Ticket>('tickets').update('no-such-ticket', (t) => void (t.status = 'closed'))).toMatchObject({ ok: false, kind: 'not-found' });
  });
});
