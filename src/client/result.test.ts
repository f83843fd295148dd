import { describe, expect, it } from 'vitest';
import { toResult } from './result.js';

const problemJson = { 'content-type': 'application/problem+json' };
const result = (status: number, body: string, headers: Record<string, string> = problemJson, key?: string) =>
  toResult(new Response(status === 204 || status === 304 ? null : body, { status, headers }), body, { attempt: 1, idempotencyKey: key });

describe('responses become results', () => {
  it('a 201 is a success carrying data, ETag, Location and the replay flag', () => {
    const r = result(201, '{"id":"a"}', { 'content-type': 'application/json', etag: '"e1"', location: '/users/a', 'idempotent-replayed': 'true' }, 'k1');
    expect(r).toMatchObject({ ok: true, status: 201, data: { id: 'a' }, etag: '"e1"', location: '/users/a', replayed: true, idempotencyKey: 'k1', attempts: 1 });
  });

  it('a 204 has no data and is not a replay', () => {
    expect(result(204, '', {})).toMatchObject({ ok: true, status: 204, data: undefined, replayed: false });
  });

  it('an empty-bodied 500 is still a failure, of kind server', () => {
    const r = result(500, '', {});
    expect(r).toMatchObject({ ok: false, kind: 'server', status: 500 });
    expect(r.ok ? undefined : r.problem).toBeUndefined();
  });

  it('a 2xx whose JSON is broken is a server failure, not a crash', () => {
    expect(result(200, '{"a":', { 'content-type': 'application/json' })).toMatchObject({ ok: false, kind: 'server', status: 200 });
  });

  it('a 400 is a validation failure with the problem\'s field errors', () => {
    const body = JSON.stringify({ type: 'https://idem.dev/problems/invalid-document', title: 'Invalid', status: 400, detail: 'Fix it', errors: [{ pointer: '/age', message: 'must be integer' }, { bogus: 1 }] });
    const r = result(400, body);
    expect(r).toMatchObject({ ok: false, kind: 'validation', errors: [{ pointer: '/age', message: 'must be integer' }] });
    expect(r.ok ? undefined : r.problem?.detail).toBe('Fix it');
  });

  it('409 and 412 are conflicts carrying the current ETag and version from the problem', () => {
    const body = JSON.stringify({ type: 'https://idem.dev/problems/precondition-failed', status: 412, currentEtag: '"e9"', currentVersion: 9 });
    expect(result(412, body)).toMatchObject({ ok: false, kind: 'conflict', status: 412, currentEtag: '"e9"', currentVersion: 9 });
    expect(result(409, '{}')).toMatchObject({ ok: false, kind: 'conflict', status: 409 });
  });

  it('422 with an Idempotency-Key is an idempotency mismatch; without one it is validation', () => {
    expect(result(422, '{"type":"x"}', problemJson, 'k')).toMatchObject({ kind: 'idempotency-mismatch', idempotencyKey: 'k' });
    expect(result(422, '{"errors":[]}')).toMatchObject({ kind: 'validation', errors: [] });
  });

  it('each other status maps to its kind', () => {
    const kinds: Array<[number, string]> = [
      [401, 'unauthorized'], [403, 'forbidden'], [404, 'not-found'], [408, 'timeout'], [415, 'client-error'],
      [428, 'precondition-required'], [429, 'rate-limited'], [502, 'server'], [503, 'server'],
    ];
    for (const [status, kind] of kinds) expect(result(status, '').ok === false && result(status, '')).toMatchObject({ kind, status });
  });

  it('a 429 says how long to wait', () => {
    expect(result(429, '', { 'retry-after': '2' })).toMatchObject({ kind: 'rate-limited', retryAfter: 2000 });
  });

  it('problem members of the wrong type are dropped, extensions kept', () => {
    const r = result(404, JSON.stringify({ title: 7, detail: 'gone', tenant: 'x' }));
    expect(r.ok ? undefined : r.problem).toEqual({ type: 'about:blank', detail: 'gone', tenant: 'x' });
  });
});
