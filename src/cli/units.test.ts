import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from './units.js';

describe('command-line durations and sizes', () => {
  it('durations accept ms, s, m, h, d and bare milliseconds', () => {
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
  });

  it('a bad duration is refused with examples', () => {
    expect(() => parseDuration('soon', '--lease')).toThrow(/--lease "soon" is not a duration: write e.g. 500ms/);
  });

  it('sizes accept bytes, kb, mb and gb (binary)', () => {
    expect(parseBytes('100')).toBe(100);
    expect(parseBytes('512kb')).toBe(524_288);
    expect(parseBytes('1MB')).toBe(1_048_576);
    expect(parseBytes('2mib')).toBe(2_097_152);
    expect(parseBytes('1gb')).toBe(1_073_741_824);
    expect(() => parseBytes('big', '--store-cap')).toThrow(/--store-cap "big" is not a size/);
  });
});
