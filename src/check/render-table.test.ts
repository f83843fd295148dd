import { describe, expect, it } from 'vitest';
import { renderReport, wantsColor } from './render-table.js';
import type { CheckReport } from './types.js';

const report: CheckReport = {
  tool: 'idem check',
  startedAt: '',
  finishedAt: '',
  collections: ['http://h/c'],
  results: [
    { id: 'put-replaces', title: 'PUT replaces', level: 'MUST', reference: 'RFC 9110 §9.3.4', collection: 'http://h/c', verdict: 'fail', summary: 'merged', evidence: ['PUT http://h/c/1 → 200'], curl: ['curl -sS -i -X PUT http://h/c/1'] },
    { id: 'no-5xx', title: 'No 5xx', level: 'SHOULD', reference: 'RFC 9110 §15.6', collection: 'http://h/c', verdict: 'pass', summary: 'none', evidence: [], curl: [] },
  ],
  cleanup: [{ url: 'http://h/c/1', status: 500, ok: false, note: 'DELETE answered 500: left in place' }],
  summary: { total: 2, pass: 1, fail: 1, notApplicable: 0, mustFail: 1 },
  ok: false,
};

/** The fields of a WriteStream that colour detection reads. */
function stream(isTTY: boolean, hasColors: boolean): NodeJS.WriteStream {
  return { isTTY, hasColors: () => hasColors } as unknown as NodeJS.WriteStream;
}

describe('terminal report', () => {
  it('shows failures with their evidence and curl, leftovers of the cleanup, and the summary line', () => {
    const text = renderReport(report, { color: false });
    expect(text).toContain('  ✘ FAIL   MUST    put-replaces  merged');
    expect(text).toContain('            $ curl -sS -i -X PUT http://h/c/1');
    expect(text).toContain('Could not delete 1 resource(s) the checker created:\n  http://h/c/1 — DELETE answered 500: left in place');
    expect(text).toContain('FAILED — 2 checks: 1 pass, 1 fail (1 MUST), 0 n/a · cleanup: 0 of 1 created resources deleted');
    expect(text).not.toContain('\u001b[');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderReport(report, { color: true })).toContain('\u001b[31m');
  });

  it('colours a terminal unless NO_COLOR is set, never a pipe unless FORCE_COLOR is set', () => {
    expect(wantsColor(stream(true, true), {})).toBe(true);
    expect(wantsColor(stream(true, true), { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(stream(false, false), {})).toBe(false);
    expect(wantsColor(stream(false, false), { FORCE_COLOR: '1' })).toBe(true);
  });
});
