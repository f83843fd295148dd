import { describe, expect, it } from 'vitest';
import { principalOf } from './principal.js';

describe('principal of a request', () => {
  it('is "anonymous" without Authorization', () => {
    expect(principalOf(undefined)).toBe('anonymous');
    expect(principalOf('  ')).toBe('anonymous');
  });

  it('is a hash of Authorization that never contains the secret, equal for equal credentials', () => {
    const a = principalOf('Bearer top-secret');
    expect(a).toMatch(/^authorization:sha256:[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('top-secret');
    expect(principalOf('Bearer top-secret')).toBe(a);
    expect(principalOf('Bearer other')).not.toBe(a);
  });
});
