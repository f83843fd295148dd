import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApi, describeRetention } from './build-openapi.js';
import type { OpenApiObject } from './components.js';
import { openApiTestResources } from './test-resources.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const;

type Operation = { responses: Record<string, unknown>; parameters?: unknown[]; requestBody?: unknown; operationId: string };

function doc(options: Parameters<typeof buildOpenApi>[1] = { idempotencyTtlMs: DAY_MS }): OpenApiObject {
  return buildOpenApi(openApiTestResources, options);
}

function paths(d: OpenApiObject): Record<string, Record<string, unknown>> {
  return d['paths'] as Record<string, Record<string, unknown>>;
}

function op(d: OpenApiObject, path: string, method: string): Operation {
  const operation = paths(d)[path]?.[method] as Operation | undefined;
  if (!operation) throw new Error(`no ${method} ${path}`);
  return operation;
}

function statuses(operation: Operation): string[] {
  return Object.keys(operation.responses).sort();
}

describe('buildOpenApi', () => {
  it('produces a document that @readme/openapi-parser validates as OpenAPI 3.1', async () => {
    const d = doc();
    expect(d['openapi']).toBe('3.1.0');
    const result = await validate(structuredClone(d) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is valid too when the server runs open', async () => {
    const result = await validate(structuredClone(doc({ idempotencyTtlMs: DAY_MS, authRequired: false })) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('has the collection, item, history, version and effects paths of every resource type', () => {
    const d = doc();
    for (const name of ['users', 'flights', 'orders']) {
      expect(Object.keys(paths(d))).toEqual(
        expect.arrayContaining([`/${name}`, `/${name}/{id}`, `/${name}/{id}/versions`, `/${name}/{id}/versions/{n}`, `/${name}/{id}/effects`]),
      );
      expect(Object.keys(paths(d)[`/${name}/{id}`] ?? {})).toEqual(expect.arrayContaining(['get', 'head', 'put', 'patch', 'delete', 'options']));
    }
  });

  it('names every status code of the contract somewhere', () => {
    const d = doc();
    const seen = new Set<string>();
    for (const item of Object.values(paths(d))) {
      for (const method of METHODS) {
        const operation = item[method] as Operation | undefined;
        if (operation) Object.keys(operation.responses).forEach((s) => seen.add(s));
      }
    }
    for (const status of ['200', '201', '204', '304', '400', '401', '403', '404', '405', '409', '412', '413', '415', '422', '428', '429']) {
      expect(seen, `status ${status}`).toContain(status);
    }
  });

  it('describes every header of the contract and uses each one', () => {
    const d = doc();
    const text = JSON.stringify(d['paths']);
    for (const header of ['ETag', 'Location', 'Idempotent-Replayed', 'Preference-Applied', 'Retry-After', 'Allow', 'Accept-Patch', 'Link', 'Last-Modified', 'WWW-Authenticate']) {
      expect(text + JSON.stringify((d['components'] as OpenApiObject)['responses']), header).toContain(`"${header}"`);
    }
    const parameters = (d['components'] as { parameters: Record<string, { name: string; in: string }> }).parameters;
    const headerParams = Object.values(parameters).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headerParams).toEqual(expect.arrayContaining(['If-Match', 'If-None-Match', 'Idempotency-Key', 'Prefer']));
  });

  it('states the Idempotency-Key retention in the parameter description and the x-idempotency-retention-seconds extension', () => {
    const d = doc();
    const key = (d['components'] as { parameters: Record<string, Record<string, unknown>> }).parameters['IdempotencyKey'] ?? {};
    expect(key['x-idempotency-retention-seconds']).toBe(86400);
    expect(key['description']).toContain('24 hours (86400 s)');
    expect(d['x-idempotency-retention-seconds']).toBe(86400);

    const hour = doc({ idempotencyTtlMs: 60 * 60 * 1000 });
    expect(hour['x-idempotency-retention-seconds']).toBe(3600);
    expect(JSON.stringify(hour['components'])).toContain('1 hour (3600 s)');
  });

  it('answers POST on a client-id collection with 405 and lets PUT create there', () => {
    const d = doc();
    expect(statuses(op(d, '/flights', 'post'))).toEqual(['401', '403', '405', '429']);
    expect(statuses(op(d, '/flights/{id}', 'put'))).toContain('201');
    expect(statuses(op(d, '/users/{id}', 'put'))).not.toContain('201');
    expect(statuses(op(d, '/users/{id}', 'put'))).toContain('404');
    expect(statuses(op(d, '/users', 'post'))).toEqual(expect.arrayContaining(['201', '400', '409', '413', '415', '422']));
  });

  it('documents 428 only where preconditions are required, and a required Idempotency-Key only where POST needs one', () => {
    const d = doc();
    for (const method of ['put', 'patch', 'delete']) {
      expect(statuses(op(d, '/flights/{id}', method))).toContain('428');
      expect(statuses(op(d, '/users/{id}', method))).not.toContain('428');
      expect(statuses(op(d, '/users/{id}', method))).toContain('412');
    }
    const orderPost = op(d, '/orders', 'post').parameters as Array<{ name?: string; required?: boolean }>;
    expect(orderPost.find((p) => p.name === 'Idempotency-Key')?.required).toBe(true);
  });

  it('accepts both patch formats and lists the filterable fields as query parameters', () => {
    const d = doc();
    const patch = op(d, '/users/{id}', 'patch').requestBody as { content: Record<string, unknown> };
    expect(Object.keys(patch.content).sort()).toEqual(['application/json-patch+json', 'application/merge-patch+json']);
    const names = (op(d, '/users', 'get').parameters as Array<{ name?: string }>).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['name', 'email', 'age']));
  });

  it('embeds the declared schema with the server-managed fields and problem+json errors', () => {
    const d = doc();
    const schemas = (d['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas['Users']?.['required']).toEqual(expect.arrayContaining(['id', 'version', 'createdAt', 'updatedAt', 'name', 'email']));
    expect(schemas['UsersInput']?.['required']).toEqual(['name', 'email']);
    expect(schemas['Users']).not.toHaveProperty('$schema');
    expect(JSON.stringify(schemas['Flights'])).toContain('#/components/schemas/Flights.airport');
    expect(schemas['Flights.airport']).toEqual({ type: 'string', pattern: '^[A-Z]{3}$' });
    const conflict = (d['components'] as { responses: Record<string, { content: Record<string, unknown> }> }).responses['Conflict'];
    expect(Object.keys(conflict?.content ?? {})).toEqual(['application/problem+json']);
  });
});

describe('describeRetention', () => {
  it('writes the retention in the largest whole unit', () => {
    expect(describeRetention(DAY_MS)).toEqual({ seconds: 86400, text: '24 hours' });
    expect(describeRetention(7 * DAY_MS)).toEqual({ seconds: 604800, text: '7 days' });
    expect(describeRetention(90_000)).toEqual({ seconds: 90, text: '90 seconds' });
    expect(describeRetention(120_000)).toEqual({ seconds: 120, text: '2 minutes' });
  });
});
