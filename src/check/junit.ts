import type { CheckReport } from './types.js';

/** Escape text for XML character data and attribute values (XML 1.0 §2.4, §3.3.3). */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all (§2.2) are dropped rather than breaking the file.
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * The report as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins)
 * read: one <testsuite> per collection, one <testcase> per check. A failed check is a
 * <failure> (type MUST or SHOULD, so a CI can treat them differently), n/a is <skipped>.
 */
export function toJunitXml(report: CheckReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { total, fail, notApplicable } = report.summary;
  lines.push(`<testsuites name="idem check" tests="${total}" failures="${fail}" skipped="${notApplicable}" timestamp="${escapeXml(report.startedAt)}">`);
  for (const collection of report.collections) {
    const results = report.results.filter((r) => r.collection === collection);
    const failures = results.filter((r) => r.verdict === 'fail').length;
    const skipped = results.filter((r) => r.verdict === 'n/a').length;
    lines.push(`  <testsuite name="${escapeXml(collection)}" tests="${results.length}" failures="${failures}" skipped="${skipped}">`);
    for (const r of results) {
      const name = `${r.level} ${r.id}: ${r.title}`;
      lines.push(`    <testcase classname="${escapeXml(collection)}" name="${escapeXml(name)}">`);
      const details = [r.summary, `(${r.reference})`, ...r.evidence, ...r.curl.map((c) => `$ ${c}`)].join('\n');
      if (r.verdict === 'fail') {
        lines.push(`      <failure type="${r.level}" message="${escapeXml(r.summary)}">${escapeXml(details)}</failure>`);
      } else if (r.verdict === 'n/a') {
        lines.push(`      <skipped message="${escapeXml(r.summary)}"/>`);
      } else {
        lines.push(`      <system-out>${escapeXml(details)}</system-out>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
