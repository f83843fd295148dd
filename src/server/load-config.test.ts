import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'idem-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notes = { name: 'notes', schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } };

describe('--config FILE', () => {
  it('loads the example API by default', async () => {
    const config = await loadConfig();
    expect(config.resources.map((r) => r.name)).toEqual(['users', 'flights', 'customers', 'accounts', 'tickets', 'orders']);
    expect(config.demoPayments).toBe(true);
  });

  it('loads a JSON file', async () => {
    const file = join(dir, 'api.json');
    writeFileSync(file, JSON.stringify({ resources: [notes] }));
    expect((await loadConfig(file)).resources[0]?.name).toBe('notes');
  });

  it('loads a .js module (default export)', async () => {
    const file = join(dir, 'api.mjs');
    writeFileSync(file, `export default ${JSON.stringify({ resources: [notes] })};`);
    expect((await loadConfig(file)).resources[0]?.name).toBe('notes');
  });

  it('loads a .ts module exporting `config`', async () => {
    const file = join(dir, 'api.ts');
    writeFileSync(file, `const resources: Array<{ name: string; schema: object }> = [${JSON.stringify(notes)}];\nexport const config = { resources };\n`);
    expect((await loadConfig(file)).resources[0]?.name).toBe('notes');
  });

  it('names a missing file and says what --config takes', async () => {
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toThrow(/Config file .*nope\.json does not exist\. --config takes a JSON file or a \.js\/\.ts module/);
  });

  it('names a file that is not JSON, with the parser\'s reason', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "resources": [ }');
    await expect(loadConfig(file)).rejects.toThrow(/Config file .*broken\.json is not valid JSON: .*(Unexpected|Expected)/);
  });

  it.each([
    [{}, /"resources" must be a non-empty array/],
    [{ resources: [{ name: 'Bad Name', schema: {} }] }, /lower-case path segment/],
    [{ resources: [{ name: 'docs', schema: {} }] }, /used by the server itself/],
    [{ resources: [notes, notes] }, /declared twice/],
    [{ resources: [{ name: 'x' }] }, /"schema" must be a JSON Schema object/],
    [{ resources: [{ ...notes, idPolicy: 'random' }] }, /idPolicy/],
    [{ resources: [{ ...notes, effects: [{ name: 'x' }] }] }, /"name" and a "url"/],
  ])('refuses a bad config with a message naming the problem (%#)', (raw, message) => {
    expect(() => validateConfig(raw, 'my.json')).toThrow(message);
  });
});
