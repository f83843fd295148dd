import { describe, expect, it } from 'vitest';
import { parseApiKeyList } from './api-keys.js';
import { createAuthenticator } from './authenticate.js';
import { roleAllows, roleFor } from './authorize.js';

const keys = parseApiKeyList('alice:alice-secret-0123456789:write,clerk:clerk-secret-0123456789:*=read;tickets=write');
const authenticate = createAuthenticator(keys);

describe('authenticate', () => {
  it('turns a known Bearer secret into its principal; the scheme is case-insensitive', () => {
    expect(authenticate('Bearer alice-secret-0123456789')).toEqual({ ok: true, principal: { id: 'alice', roles: { '*': 'write' } } });
    expect(authenticate('bearer clerk-secret-0123456789')).toMatchObject({ ok: true, principal: { id: 'clerk' } });
  });

  it('tells missing, malformed and unknown credentials apart', () => {
    expect(authenticate(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(authenticate('Basic YWxpY2U6eA==')).toEqual({ ok: false, reason: 'malformed' });
    expect(authenticate('Bearer')).toEqual({ ok: false, reason: 'malformed' });
    expect(authenticate(['Bearer alice-secret-0123456789', 'Bearer x'])).toEqual({ ok: false, reason: 'malformed' });
    expect(authenticate('Bearer alice-secret-012345678')).toEqual({ ok: false, reason: 'unknown' });
    expect(authenticate('Bearer alice-secret-0123456789x')).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('authorize', () => {
  it('lets read use only safe methods, write also change, admin everything', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every((m) => roleAllows('read', m))).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some((m) => roleAllows('read', m))).toBe(false);
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].every((m) => roleAllows('write', m))).toBe(true);
    expect(roleAllows('write', 'TRACE')).toBe(false);
    expect(roleAllows('admin', 'TRACE')).toBe(true);
    expect(roleAllows(undefined, 'GET')).toBe(false);
  });

  it('uses the role of the resource type, else the * default', () => {
    const clerk = { id: 'clerk', roles: { '*': 'read', tickets: 'write' } } as const;
    expect(roleFor(clerk, 'tickets')).toBe('write');
    expect(roleFor(clerk, 'users')).toBe('read');
    expect(roleFor({ id: 'x', roles: { tickets: 'write' } }, 'users')).toBeUndefined();
    expect(roleFor({ id: 'x', roles: { '*': 'read' } }, 'constructor')).toBe('read');
  });
});
