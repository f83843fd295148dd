import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { IdemConfig } from '../engine/types.js';
import { buildOpenApi } from '../server/openapi/build-openapi.js';
import { targetsFromOpenApi } from './openapi.js';
import { sampleFromSchema } from './sample-from-schema.js';

async function exampleDocument(): Promise<Record<string, unknown>> {
  const config = JSON.parse(await readFile(new URL('../../examples/example-api.json', import.meta.url), 'utf8')) as IdemConfig;
  return buildOpenApi(config.resources, { idempotencyTtlMs: 86_400_000 });
}

describe('collections from an OpenAPI document', () => {
  it('finds every collection of the example API with its id policy, against the base URL given (never the servers entry)', async () => {
    const targets = targetsFromOpenApi(await exampleDocument(), 'http://127.0.0.1:1234/');
    expect(targets.map((t) => [t.url, t.clientIds])).toEqual([
      ['http://127.0.0.1:1234/users', false],
      ['http://127.0.0.1:1234/flights', true],
      ['http://127.0.0.1:1234/customers', false],
      ['http://127.0.0.1:1234/accounts', false],
      ['http://127.0.0.1:1234/tickets', false],
      ['http://127.0.0.1:1234/orders', false],
    ]);
  });

  it('builds samples the schema accepts, without the server-managed readOnly fields', async () => {
    const targets = targetsFromOpenApi(await exampleDocument(), 'http://h', ['/users', '/flights', '/orders']);
    const byPath = Object.fromEntries(targets.map((t) => [new URL(t.url).pathname, t.sample]));
    expect(byPath['/users']).toEqual({ username: 'idem-check', email: 'idem-check@example.com', age: 0, bio: 'idem-check', interests: [] });
    expect(byPath['/flights']).toEqual({ status: 'ontime', gate: 'idem-check' });
    expect(byPath['/orders']).toEqual({ items: ['idem-check'], charge_card: false });
  });
});

describe('sampleFromSchema', () => {
  it('prefers examples, const, default and enum, and follows $ref and allOf', () => {
    const components: Record<string, unknown> = { Name: { type: 'string', examples: ['Zoe'] } };
    const resolve = (v: unknown) => {
      const ref = (v as { $ref?: string } | null)?.$ref;
      return ref ? components[ref.split('/').pop() as string] : v;
    };
    const schema = {
      allOf: [
        { type: 'object', required: ['name'], properties: { name: { $ref: '#/components/schemas/Name' } } },
        { type: 'object', properties: { kind: { const: 'k' }, size: { type: 'integer', default: 9 }, tier: { enum: ['gold', 'silver'] } } },
      ],
    };
    expect(sampleFromSchema(schema, resolve)).toEqual({ name: 'Zoe', kind: 'k', size: 9, tier: 'gold' });
  });
});
