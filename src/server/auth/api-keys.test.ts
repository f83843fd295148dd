import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyConfigError, hashSecret, loadApiKeys, parseApiKeyList, parseKeysFile } from './api-keys.js';

const SECRET = 'a1b2c3d4e5f6a7b8c9d0';

describe('API key configuration', () => {
  it('parses name:secret:role entries into principals with a default role, keeping only a hash of the secret', () => {
    const [alice, bob] = parseApiKeyList(`alice:${SECRET}:write, bob:${SECRET}x:read`);
    expect(alice).toMatchObject({ name: 'alice', roles: { '*': 'write' } });
    expect(alice?.secretHash.equals(hashSecret(SECRET))).toBe(true);
    expect(JSON.stringify(alice)).not.toContain(SECRET);
    expect(bob).toMatchObject({ name: 'bob', roles: { '*': 'read' } });
  });

  it('accepts roles per resource type, with * as the default', () => {
    const [clerk] = parseApiKeyList(`clerk:${SECRET}:*=read;tickets=write`);
    expect(clerk?.roles).toEqual({ '*': 'read', tickets: 'write' });
  });

  it('allows a colon inside the secret (name is before the first colon, role after the last)', () => {
    const [key] = parseApiKeyList(`ops:${SECRET}:with:colons:admin`);
    expect(key?.secretHash.equals(hashSecret(`${SECRET}:with:colons`))).toBe(true);
  });

  it('refuses short secrets, unknown roles and malformed entries with a message that never shows the secret', () => {
    const attempts = ['alice:short:write', `alice:${SECRET}:owner`, `alice:${SECRET}`, `:${SECRET}:read`, `al ice:${SECRET}:read`, `alice:${SECRET}:tickets=`];
    for (const entry of attempts) {
      let error: unknown;
      try {
        parseApiKeyList(entry);
      } catch (e) {
        error = e;
      }
      expect(error, entry).toBeInstanceOf(ApiKeyConfigError);
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).not.toContain('short:');
    }
    expect(() => parseApiKeyList('alice:short:write')).toThrow(/at least 16/);
    expect(() => parseApiKeyList(`alice:${SECRET}:owner`)).toThrow(/read, write or admin/);
  });

  describe('keys file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idem-keys-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads one key per line and ignores blank lines and # comments', () => {
      const keys = parseKeysFile(`# operators\n\nadmin:${SECRET}:admin   # the on-call key\nreader:${SECRET}zz:read\n`, 'keys.txt');
      expect(keys.map((k) => [k.name, k.roles['*']])).toEqual([
        ['admin', 'admin'],
        ['reader', 'read'],
      ]);
    });

    it('names the file and line of a bad entry', () => {
      expect(() => parseKeysFile(`admin:${SECRET}:admin\nbroken\n`, 'keys.txt')).toThrow(/keys\.txt line 2/);
    });

    it('combines IDEM_API_KEYS and the file, refusing a name or a secret configured twice', () => {
      const file = join(dir, 'keys');
      writeFileSync(file, `bob:${SECRET}bb:write\n`);
      expect(loadApiKeys({ apiKeys: `alice:${SECRET}:write`, keysFile: file }).map((k) => k.name)).toEqual(['alice', 'bob']);
      expect(() => loadApiKeys({ apiKeys: `bob:${SECRET}:write`, keysFile: file })).toThrow(/"bob" is configured twice/);
      expect(() => loadApiKeys({ apiKeys: `carol:${SECRET}bb:read`, keysFile: file })).toThrow(/reuses another key's secret/);
    });

    it('explains a missing keys file instead of starting open', () => {
      expect(() => loadApiKeys({ keysFile: join(dir, 'nope') })).toThrow(/Cannot read the keys file/);
    });

    it('means "run open" only when neither source names a key', () => {
      expect(loadApiKeys({})).toEqual([]);
      expect(loadApiKeys({ apiKeys: ' ' })).toEqual([]);
    });
  });
});
