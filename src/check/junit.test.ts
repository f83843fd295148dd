import { describe, expect, it } from 'vitest';
import { escapeXml, toJunitXml } from './junit.js';
import type { CheckReport, CheckResult } from './types.js';

function result(id: string, verdict: CheckResult['verdict'], level: CheckResult['level'], summary: string): CheckResult {
  return { id, title: `title of ${id}`, level, reference: 'RFC 9110 §9.3.4', collection: 'http://h/c', verdict, summary, evidence: ['PUT http://h/c/1 → 200'], curl: ['curl -sS -i http://h/c/1'] };
}

const report: CheckReport = {
  tool: 'idem check',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  collections: ['http://h/c'],
  results: [result('a', 'pass', 'MUST', 'fine'), result('b', 'fail', 'MUST', '200 for If-Match: W/"x" <&>'), result('c', 'n/a', 'SHOULD', 'nothing to test')],
  cleanup: [],
  summary: { total: 3, pass: 1, fail: 1, notApplicable: 1, mustFail: 1 },
  ok: false,
};

describe('toJunitXml', () => {
  it('has one testsuite per collection and one testcase per check: failure for fail, skipped for n/a', () => {
    const xml = toJunitXml(report);
    expect(xml).toContain('<testsuites name="idem check" tests="3" failures="1" skipped="1" timestamp="2026-01-01T00:00:00.000Z">');
    expect(xml).toContain('<testsuite name="http://h/c" tests="3" failures="1" skipped="1">');
    expect(xml).toContain('<testcase classname="http://h/c" name="MUST b: title of b">');
    expect(xml).toContain('<failure type="MUST" message="200 for If-Match: W/&quot;x&quot; &lt;&amp;&gt;">');
    expect(xml).toContain('<skipped message="nothing to test"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
