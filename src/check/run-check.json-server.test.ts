import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from './run-check.js';
import { startJsonServer, type JsonServer } from './test-support/json-server.js';
import type { CheckReport, CheckResult } from './types.js';

/**
 * idem check against json-server 0.17.4, a popular REST mock: what it gets right and where
 * its write methods break HTTP semantics. Every verdict below was first observed by hand
 * (curl against json-server) and is asserted exactly.
 */

const SAMPLE = { name: 'Ann', age: 42, city: 'Oslo' };

let server: JsonServer;
let report: CheckReport;

function result(report: CheckReport, id: string): CheckResult {
  const found = report.results.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no result ${id} in ${report.results.map((r) => r.id).join(', ')}`);
  return found;
}

beforeAll(async () => {
  server = await startJsonServer({ customers: [], flights: [] });
  report = await runCheck({ url: `${server.url}/customers`, sample: SAMPLE });
});

afterAll(async () => {
  await server?.close();
});

describe('idem check against json-server (server ids: POST creates)', () => {
  const verdict = (id: string) => result(report, id).verdict;

  it('POST gives 201 with a Location that resolves to the created document', () => {
    expect(verdict('post-creates')).toBe('pass');
    expect(result(report, 'post-creates').summary).toMatch(/^201 Created, Location: http:\/\/127\.0\.0\.1:\d+\/customers\/\d+\.$/);
    expect(verdict('location-resolves')).toBe('pass');
  });

  it('its ETag is weak, so it cannot guard writes', () => {
    expect(verdict('get-strong-etag')).toBe('fail');
    expect(result(report, 'get-strong-etag').summary).toMatch(/^The ETag W\/".+" is weak/);
  });

  it('GET with If-None-Match of the current ETag is 304 and HEAD matches GET', () => {
    expect(verdict('get-if-none-match-304')).toBe('pass');
    expect(verdict('head-matches-get')).toBe('pass');
  });

  it('PUT to a missing id is 404: it does not create by PUT', () => {
    expect(verdict('put-missing-id')).toBe('pass');
    expect(result(report, 'put-missing-id').summary).toMatch(/^404:/);
  });

  it('PUT is a full replacement, idempotent, and a no-op PUT keeps the ETag', () => {
    expect(verdict('put-replaces')).toBe('pass');
    expect(result(report, 'put-replaces').summary).toBe('After a PUT without "city", the field is gone.');
    expect(verdict('put-idempotent')).toBe('pass');
    expect(verdict('put-noop-keeps-etag')).toBe('pass');
  });

  it('a stale If-Match is not 412: the write is applied (a lost update)', () => {
    const stale = result(report, 'if-match-stale-412');
    expect(stale.verdict).toBe('fail');
    expect(stale.level).toBe('MUST');
    expect(stale.summary).toMatch(/^200 for If-Match: W\/"[^"]+" \(current W\/"[^"]+"\): the condition was ignored, and the write was applied \(changed: name\)\.$/);
    expect(stale.curl[0]).toMatch(/^curl -sS -i -X PUT http:\/\/127\.0\.0\.1:\d+\/customers\/\d+ -H 'If-Match: W\/".+"' -H 'Content-Type: application\/json' --data-binary '\{.+\}'$/);
  });

  it('If-None-Match: * on an existing resource is not 412: it overwrites', () => {
    const star = result(report, 'if-none-match-star-412');
    expect(star.verdict).toBe('fail');
    expect(star.summary).toContain('200 for If-None-Match: * on a resource that exists: the condition was ignored, and the write was applied');
  });

  it('PATCH with merge patch or JSON patch answers 200 but silently drops the change', () => {
    const patch = result(report, 'patch-applies');
    expect(patch.verdict).toBe('fail');
    expect(patch.summary).toContain('application/merge-patch+json → 200');
    expect(patch.summary).toContain('application/json-patch+json → 200');
  });

  it('PATCH with an unknown patch format is 200, not 415 with Accept-Patch', () => {
    expect(verdict('patch-415-accept-patch')).toBe('fail');
    expect(result(report, 'patch-415-accept-patch').summary).toMatch(/^A text\/plain "patch" was answered 200/);
  });

  it('malformed JSON is 400, but a text/plain body is accepted and creates a document', () => {
    expect(verdict('malformed-json-4xx')).toBe('pass');
    expect(result(report, 'malformed-json-4xx').summary).toBe('Malformed JSON is refused with 400.');
    expect(verdict('wrong-content-type-415')).toBe('fail');
    expect(result(report, 'wrong-content-type-415').summary).toMatch(/^A text\/plain body was accepted with 201/);
  });

  it('never answers 405: an unsupported method on an existing document is 404', () => {
    expect(verdict('405-has-allow')).toBe('n/a');
    expect(result(report, '405-has-allow').summary).toBe('No request got 405 (POST on an item answered 404).');
    expect(verdict('allow-matches-reality')).toBe('fail');
    expect(result(report, 'allow-matches-reality').summary).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/customers\/\d+ is 404 although the resource exists/);
  });

  it('ignores Idempotency-Key: a retry creates a second document, a different body is 201, concurrent requests create several', () => {
    expect(verdict('idempotency-key-replay')).toBe('fail');
    expect(result(report, 'idempotency-key-replay').summary).toMatch(/^The retry with the same key created a second resource/);
    expect(verdict('idempotency-key-mismatch-422')).toBe('fail');
    expect(result(report, 'idempotency-key-mismatch-422').summary).toBe('201 for a reused key with a different body: the key was ignored.');
    expect(verdict('idempotency-key-concurrent')).toBe('fail');
    expect(result(report, 'idempotency-key-concurrent').summary).toBe('5 concurrent requests with one key created 5 resources.');
  });

  it('DELETE then GET is 404, and a second DELETE is 404 with the same state', () => {
    expect(verdict('delete-then-404')).toBe('pass');
    expect(result(report, 'delete-then-404').summary).toBe('DELETE answered 200, then GET answered 404.');
    expect(verdict('delete-repeat-same-state')).toBe('pass');
  });

  it('errors are application/json "{}", not problem+json, and nothing is a 5xx', () => {
    expect(verdict('errors-are-problem-json')).toBe('fail');
    expect(result(report, 'errors-are-problem-json').summary).toMatch(/^\d+ of \d+ error responses are not problem\+json \(first: Content-Type is application\/json\)\.$/);
    expect(verdict('no-5xx')).toBe('pass');
  });

  it('fails the run on exactly the broken MUSTs: stale If-Match, If-None-Match: *, and PATCH', () => {
    const mustFailures = report.results.filter((r) => r.verdict === 'fail' && r.level === 'MUST').map((r) => r.id);
    expect(mustFailures.sort()).toEqual(['if-match-stale-412', 'if-none-match-star-412', 'patch-applies']);
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({ total: 24, pass: 12, fail: 11, notApplicable: 1, mustFail: 3 });
  });

  it('gives every failure evidence and a curl command that reproduces it', () => {
    for (const failure of report.results.filter((r) => r.verdict === 'fail')) {
      expect(failure.evidence.length, failure.id).toBeGreaterThan(0);
      expect(failure.curl[0], failure.id).toMatch(/^curl -sS -i /);
    }
  });

  it('deletes everything it created, and says so', async () => {
    expect(report.cleanup.length).toBeGreaterThanOrEqual(10);
    expect(report.cleanup.every((c) => c.ok)).toBe(true);
    const listing = (await (await fetch(`${server.url}/customers`)).json()) as unknown[];
    expect(listing).toEqual([]);
  });
});

describe('idem check against json-server with --client-ids (PUT creates)', () => {
  it('PUT to a new id is 404, which fails the MUST of put-creates, and the rest has nothing to test', async () => {
    const clientReport = await runCheck({ url: `${server.url}/flights`, sample: { status: 'ontime', gate: 'B12' }, clientIds: true });
    const creates = result(clientReport, 'put-creates');
    expect(creates.verdict).toBe('fail');
    expect(creates.summary).toBe('PUT to a new id answered 404; nothing was created. If the server assigns ids here, run without --client-ids.');
    expect(result(clientReport, 'put-replaces').verdict).toBe('n/a');
    expect(result(clientReport, 'if-match-stale-412').verdict).toBe('n/a');
    expect(clientReport.ok).toBe(false);
    // The POST on the collection that client-id mode probes for 405 does create in json-server: it is cleaned up.
    expect(clientReport.cleanup.length).toBe(1);
    expect(clientReport.cleanup.every((c) => c.ok)).toBe(true);
    const listing = (await (await fetch(`${server.url}/flights`)).json()) as unknown[];
    expect(listing).toEqual([]);
  });
});
