/**
 * `idem check`, the programmatic API: audit a live HTTP API's write semantics.
 *
 * ```ts
 * const report = await runCheck({ url: 'http://127.0.0.1:3000/customers', sample: { name: 'Ann' } });
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export { runCheck, CheckUsageError } from './run-check.js';
export { checks } from './catalog.js';
export { renderReport, renderProgress } from './render-table.js';
export { toJunitXml } from './junit.js';
export { OpenApiError } from './openapi.js';
export type {
  CheckDefinition,
  CheckReport,
  CheckResult,
  CleanupResult,
  CollectionTarget,
  Level,
  ProgressEvent,
  ReportSummary,
  RunCheckOptions,
  Verdict,
} from './types.js';
