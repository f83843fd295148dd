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
});
