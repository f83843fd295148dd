import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord } from '../store/store.js';
import { FinishedKeys } from './finished-cache.js';

const record = (key: string, expiresAt: number, state: IdempotencyRecord['state'] = 'done'): IdempotencyRecord => ({
  principal: 'p',
  key,
  fingerprint: 'f',
  state,
  response: { status: 201, headers: {}, body: '' },
  createdAt: 0,
  expiresAt,
  leaseUntil: null,
});

describe('FinishedKeys', () => {
  it('returns a remembered record until it expires', () => {
    const keys = new FinishedKeys();
    keys.remember('a', record('a', 100));
    expect(keys.get('a', 99)?.key).toBe('a');
    expect(keys.get('a', 100)).toBeUndefined();
    expect(keys.size).toBe(0);
  });

  it('keeps only finished records', () => {
    const keys = new FinishedKeys();
    keys.remember('r', record('r', 100, 'running'));
    expect(keys.get('r', 0)).toBeUndefined();
  });

  it('is bounded, dropping the oldest first', () => {
    const keys = new FinishedKeys(2);
    keys.remember('a', record('a', 100));
    keys.remember('b', record('b', 100));
    keys.remember('c', record('c', 100));
    expect(keys.get('a', 0)).toBeUndefined();
    expect(keys.get('b', 0)?.key).toBe('b');
    expect(keys.get('c', 0)?.key).toBe('c');
  });

  it('counts a record remembered again as new, and stays bounded over many keys', () => {
    const keys = new FinishedKeys(2);
    keys.remember('a', record('a', 100));
    keys.remember('b', record('b', 100));
    keys.remember('a', record('a', 100));
    keys.remember('c', record('c', 100));
    expect(keys.get('b', 0)).toBeUndefined();
    expect(keys.get('a', 0)?.key).toBe('a');
    expect(keys.get('c', 0)?.key).toBe('c');
    for (let i = 0; i < 1000; i++) keys.remember(`k${i}`, record(`k${i}`, 100));
    expect(keys.size).toBe(2);
    expect(keys.get('k999', 0)?.key).toBe('k999');
    expect(keys.get('k998', 0)?.key).toBe('k998');
  });
});

describe('FinishedKeys: byte-identical retries', () => {
  const body = Buffer.from('{"items":["book"]}');
  it('recognises the same method, path and bytes, and nothing else', () => {
    const keys = new FinishedKeys();
    keys.remember('k', record('k', 100), { method: 'POST', path: '/orders', body });
    expect(keys.replayIdentical('k', 0, 'POST', '/orders', Buffer.from('{"items":["book"]}'))).toEqual({ status: 201, headers: { 'idempotent-replayed': 'true' }, body: undefined });
    expect(keys.replayIdentical('k', 0, 'POST', '/orders', Buffer.from('{"items":["lamp"]}'))).toBeUndefined();
    expect(keys.replayIdentical('k', 0, 'POST', '/orders', Buffer.from('{"items":["book"]} '))).toBeUndefined();
    expect(keys.replayIdentical('k', 0, 'POST', '/other', body)).toBeUndefined();
    expect(keys.replayIdentical('k', 0, 'PUT', '/orders', body)).toBeUndefined();
    expect(keys.replayIdentical('k', 0, 'POST', '/orders', undefined)).toBeUndefined();
  });

  it('answers every identical retry with one frozen response', () => {
    const keys = new FinishedKeys();
    keys.remember('k', { ...record('k', 100), response: { status: 201, headers: { location: '/orders/1' }, body: '{"id":"1"}' } }, { method: 'POST', path: '/orders', body });
    const first = keys.replayIdentical('k', 0, 'POST', '/orders', body);
    expect(first).toEqual({ status: 201, headers: { location: '/orders/1', 'idempotent-replayed': 'true' }, body: '{"id":"1"}' });
    expect(keys.replayIdentical('k', 0, 'POST', '/orders', Buffer.from(body))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.headers)).toBe(true);
    expect(keys.replayIdentical('k', 100, 'POST', '/orders', body)).toBeUndefined(); // expired
  });

  it('keeps its own copy of the body, and does not keep large ones', () => {
    const keys = new FinishedKeys();
    const mutable = Buffer.from('{"a":1}');
    keys.remember('k', record('k', 100), { method: 'POST', path: '/x', body: mutable });
    mutable.write('{"a":2}');
    expect(keys.replayIdentical('k', 0, 'POST', '/x', Buffer.from('{"a":1}'))).toBeDefined();
    const big = Buffer.alloc(5000, 0x20);
    keys.remember('big', record('big', 100), { method: 'POST', path: '/x', body: big });
    expect(keys.replayIdentical('big', 0, 'POST', '/x', big)).toBeUndefined();
    expect(keys.get('big', 0)?.key).toBe('big');
  });
});
