import { describe, expect, it } from 'vitest';
import { checkAccessAtStartup } from './startup-check.js';

describe('checkAccessAtStartup (what the CLI runs before listening)', () => {
  it('starts with a notice when keys are configured or the host is loopback', () => {
    expect(checkAccessAtStartup({ host: '0.0.0.0', apiKeys: 'ops:ops-secret-0123456789:admin' })).toEqual({ ok: true, notice: expect.stringMatching(/1 configured/) });
    expect(checkAccessAtStartup({ host: '127.0.0.1' })).toEqual({ ok: true, notice: expect.stringMatching(/OPEN on loopback only/) });
  });

  it('refuses a keyless non-loopback host, and a bad key, with a message instead of a stack trace', () => {
    expect(checkAccessAtStartup({ host: '0.0.0.0' })).toMatchObject({ ok: false, message: expect.stringMatching(/--insecure-open/) });
    expect(checkAccessAtStartup({ host: '127.0.0.1', apiKeys: 'ops:tiny:admin' })).toMatchObject({ ok: false, message: expect.stringMatching(/^idem: IDEM_API_KEYS entry 1: .*at least 16/) });
  });
});
