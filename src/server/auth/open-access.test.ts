import { describe, expect, it } from 'vitest';
import { checkOpenAccess, isLoopbackHost } from './open-access.js';

describe('open access (no API keys)', () => {
  it('knows which hosts are loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('runs open on loopback and says so', () => {
    const decision = checkOpenAccess({ host: '127.0.0.1', keyCount: 0 });
    expect(decision).toMatchObject({ ok: true });
    expect(decision.ok && decision.notice).toMatch(/OPEN on loopback only/);
  });

  it('refuses to run open on any other address unless --insecure-open is given', () => {
    const refused = checkOpenAccess({ host: '0.0.0.0', keyCount: 0 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/IDEM_API_KEYS.*--keys FILE.*--insecure-open/);
    const forced = checkOpenAccess({ host: '0.0.0.0', keyCount: 0, insecureOpen: true });
    expect(forced.ok && forced.notice).toMatch(/WARNING/);
  });

  it('lets a server with keys listen anywhere', () => {
    expect(checkOpenAccess({ host: '0.0.0.0', keyCount: 2 })).toMatchObject({ ok: true });
  });
});
