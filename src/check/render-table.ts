import * as util from 'node:util';
import type { CheckReport, CheckResult, ProgressEvent, Verdict } from './types.js';

/** How the report is drawn. */
export interface RenderOptions {
  /** Use ANSI colours. Decide with `wantsColor(stream)`. */
  color: boolean;
  /** Line width to truncate the result column to. Default 120. */
  width?: number;
  /** Print evidence and curl for passing checks too, not only for failures. */
  verbose?: boolean;
}

type Style = Parameters<typeof util.styleText>[0];

/**
 * Colours on a terminal only, as the NO_COLOR convention (no-color.org) and FORCE_COLOR ask:
 * `tty.WriteStream.hasColors()` honours both, and a pipe or file gets plain text.
 */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors();
}

/**
 * styleText exists from Node 20.12 (engines allow 20.11: no colours there). Recent versions
 * check process.stdout by default; the caller has already decided for the stream the text
 * goes to (stderr for progress), so that check is turned off.
 */
function paint(color: boolean, style: Style, text: string): string {
  if (!color || typeof util.styleText !== 'function') return text;
  return util.styleText(style, text, { validateStream: false });
}

const VERDICT_TEXT: Record<Verdict, string> = { pass: '✔ pass ', fail: '✘ FAIL ', 'n/a': '– n/a  ' };
const VERDICT_STYLE: Record<Verdict, Style> = { pass: 'green', fail: 'red', 'n/a': 'gray' };

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

/** One table row, plus evidence and a reproducing curl under failures. */
function renderRow(result: CheckResult, idWidth: number, options: RenderOptions): string[] {
  const width = options.width ?? 120;
  const verdict = paint(options.color, VERDICT_STYLE[result.verdict], VERDICT_TEXT[result.verdict]);
  const levelText = result.level.padEnd(6);
  const level = result.level === 'MUST' ? paint(options.color, 'bold', levelText) : levelText;
  const fixed = 2 + 7 + 2 + 6 + 2 + idWidth + 2;
  const lines = [`  ${verdict}  ${level}  ${result.id.padEnd(idWidth)}  ${truncate(result.summary, Math.max(20, width - fixed))}`];
  if (result.verdict === 'fail' || options.verbose === true) {
    const indent = ' '.repeat(12);
    lines.push(`${indent}${paint(options.color, 'dim', `${result.title} — ${result.reference}`)}`);
    for (const evidence of result.evidence.slice(0, 6)) lines.push(`${indent}${truncate(evidence, Math.max(40, width - 12))}`);
    const curl = result.curl[0];
    if (curl !== undefined) lines.push(`${indent}${paint(options.color, 'cyan', `$ ${curl}`)}`);
  }
  return lines;
}

/** The one-line verdict of the whole run. */
export function summaryLine(report: CheckReport, color: boolean): string {
  const { pass, fail, notApplicable, mustFail, total } = report.summary;
  const deleted = report.cleanup.filter((c) => c.ok).length;
  const failText = `${fail} fail (${mustFail} MUST)`;
  const parts = [
    `${total} checks:`,
    paint(color, 'green', `${pass} pass`) + ',',
    (fail > 0 ? paint(color, 'red', failText) : failText) + ',',
    `${notApplicable} n/a`,
    `· cleanup: ${deleted} of ${report.cleanup.length} created resources deleted`,
  ];
  const verdict = report.ok ? paint(color, 'green', 'OK') : paint(color, 'red', paint(color, 'bold', 'FAILED'));
  return `${verdict} — ${parts.join(' ')}`;
}

/** The terminal report: a table per collection, cleanup problems, and the summary line. */
export function renderReport(report: CheckReport, options: RenderOptions): string {
  const out: string[] = [];
  const idWidth = Math.max(...report.results.map((r) => r.id.length), 10);
  for (const collection of report.collections) {
    const results = report.results.filter((r) => r.collection === collection);
    out.push('', paint(options.color, 'bold', `idem check ${collection}`), '');
    out.push(paint(options.color, 'dim', `  ${'verdict'}  ${'level'.padEnd(6)}  ${'check'.padEnd(idWidth)}  result`));
    for (const result of results) out.push(...renderRow(result, idWidth, options));
  }
  const leftovers = report.cleanup.filter((c) => !c.ok);
  if (leftovers.length > 0) {
    out.push('', paint(options.color, 'yellow', `Could not delete ${leftovers.length} resource(s) the checker created:`));
    for (const c of leftovers) out.push(`  ${c.url} — ${c.note}`);
  }
  out.push('', summaryLine(report, options.color), '');
  return out.join('\n');
}

/** One progress line for stderr. */
export function renderProgress(event: ProgressEvent, color: boolean): string {
  if (event.phase === 'check' && event.result !== undefined) {
    const r = event.result;
    return `  ${paint(color, VERDICT_STYLE[r.verdict], r.verdict.padEnd(4))} ${r.id}`;
  }
  return paint(color, 'dim', `idem check: ${event.message}`);
}
