import { describe, expect, it } from 'vitest';
import { parseIdempotencyKey } from './key.js';

describe('Idempotency-Key syntax', () => {
  it.each([
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"x"', 'x'],
    [`"${'k'.repeat(255)}"`, 'k'.repeat(255)],
  ])('accepts %s', (value, key) => {
    expect(parseIdempotencyKey(value)).toEqual({ ok: true, key });
  });

  it.each([
    ['', 'empty'],
    ['""', 'empty string'],
    ['"a", "b"', 'a list (two fields joined)'],
    ['a, b', 'a bare list'],
    ['"a";p=1', 'a parameter'],
    ['"unterminated', 'an unterminated string'],
    ['"has space"', 'a space'],
    ['"tab\there"', 'a control character'],
    [`"${'k'.repeat(256)}"`, 'too long'],
    ['"é"', 'non-ASCII'],
    ['"bad\\escape"', 'a bad escape'],
  ])('refuses %s (%s) with a reason that says how to send one', (value) => {
    const parsed = parseIdempotencyKey(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/Send exactly one Idempotency-Key/);
  });

  it('refuses two header fields', () => {
    expect(parseIdempotencyKey(['"a"', '"b"']).ok).toBe(false);
    expect(parseIdempotencyKey(['"a"'])).toEqual({ ok: true, key: 'a' });
  });
});
