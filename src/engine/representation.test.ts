import { describe, expect, it } from 'vitest';
import { httpDate } from './representation.js';

describe('httpDate: Last-Modified as an IMF-fixdate (RFC 9110 §5.6.7)', () => {
  it('writes what Date#toUTCString writes, for timestamps across centuries and every weekday', () => {
    for (let t = -2_208_988_800_000; t < 7_258_118_400_000; t += 86_400_000 * 37 + 3_723_456) {
      const iso = new Date(t).toISOString();
      expect(httpDate(iso)).toBe(new Date(iso).toUTCString());
    }
    expect(httpDate('1994-11-06T08:49:37.000Z')).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });

  it('falls back to Date for any other shape of timestamp', () => {
    for (const other of ['+012345-01-01T00:00:00.000Z', '2026-11-22T02:08:28Z', '2026-11-22T02:08:28.895+01:00']) {
      expect(httpDate(other)).toBe(new Date(other).toUTCString());
    }
  });
});
