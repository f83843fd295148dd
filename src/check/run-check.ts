import { CreatedResources } from './cleanup.js';
import { ProbeContext } from './context.js';
import { CheckHttp } from './http.js';
import { loadOpenApi, targetsFromOpenApi } from './openapi.js';
import { probeCreate } from './probes/create.js';
import { probeDelete } from './probes/delete.js';
import { probeIdempotencyKey } from './probes/idempotency-key.js';
import { probeMedia } from './probes/media.js';
import { probeMethods } from './probes/methods.js';
import { probePatch } from './probes/patch.js';
import { probePreconditions } from './probes/preconditions.js';
import { probePut } from './probes/put.js';
import { probeRead } from './probes/read.js';
import { judgeResponses } from './probes/responses.js';
import type { CheckReport, CheckResult, CleanupResult, CollectionTarget, ReportSummary, RunCheckOptions } from './types.js';

/** Raised when the run cannot start: bad options, or an API that cannot be reached or entered. */
export class CheckUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckUsageError';
  }
}

/**
 * Audit the write semantics of one collection (or every collection an OpenAPI document
 * describes): create a resource, run every probe against it, judge all responses, then
 * delete what was created. Throws CheckUsageError when it cannot run at all; otherwise
 * every problem found is a verdict in the report.
 */
export async function runCheck(options: RunCheckOptions): Promise<CheckReport> {
  const startedAt = new Date().toISOString();
  const targets = await resolveTargets(options);
  const http = new CheckHttp({
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const created = new CreatedResources();
  const results: CheckResult[] = [];
  const progress = options.onProgress ?? (() => {});
  let cleanup: CleanupResult[] = [];
  try {
    for (const target of targets) {
      const since = http.log.length;
      await preflight(http, target);
      progress({ phase: 'start', collection: target.url, message: `checking ${target.url} (${target.clientIds ? 'client' : 'server'} ids)` });
      const ctx = new ProbeContext(http, target, created, (result) =>
        progress({ phase: 'check', collection: target.url, message: `${result.verdict} ${result.id}`, result }),
      );
      await probeCreate(ctx);
      await probeRead(ctx);
      await probePut(ctx);
      await probePreconditions(ctx);
      await probePatch(ctx);
      await probeMedia(ctx);
      await probeMethods(ctx, since);
      await probeIdempotencyKey(ctx, options.concurrency ?? 5);
      await probeDelete(ctx);
      judgeResponses(ctx, http.log.slice(since));
      results.push(...ctx.results);
    }
  } finally {
    // Clean up even when the run broke off: the API keeps what was created either way.
    const count = created.urls().length;
    if (count > 0) progress({ phase: 'cleanup', collection: '', message: `deleting ${count} created resource(s)` });
    cleanup = await created.cleanUp(http);
  }
  const summary = summarize(results);
  progress({ phase: 'done', collection: '', message: 'done' });
  return {
    tool: 'idem check',
    startedAt,
    finishedAt: new Date().toISOString(),
    collections: targets.map((t) => t.url),
    results,
    cleanup,
    summary,
    ok: summary.mustFail === 0,
  };
}

async function resolveTargets(options: RunCheckOptions): Promise<CollectionTarget[]> {
  if (options.openapi !== undefined) {
    const document = typeof options.openapi === 'string' ? await loadOpenApi(options.openapi) : options.openapi;
    const targets = targetsFromOpenApi(document, options.url, options.only);
    if (targets.length === 0) throw new CheckUsageError('The OpenAPI document describes no collection with a create operation (POST /{c}, or PUT /{c}/{id}) and a GET /{c}/{id}.');
    return targets.map((t) => ({ ...t, ...(options.idField ? { idField: options.idField } : {}), ...(options.sample ? { sample: options.sample } : {}) }));
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CheckUsageError(`"${options.url}" is not an absolute URL; give the collection URL, e.g. http://127.0.0.1:3000/customers.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckUsageError(`"${options.url}" is not an http(s) URL.`);
  const sample = options.sample;
  if (sample === undefined || typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    throw new CheckUsageError('A sample document is required: --sample \'{"name":"Ann"}\' (a JSON object the collection accepts), or --openapi to build one.');
  }
  return [{ url: url.toString().replace(/\/+$/, ''), sample, idField: options.idField ?? 'id', clientIds: options.clientIds ?? false }];
}

/** One GET of the collection first, so an unreachable or locked API is one clear error, not 25 verdicts. */
async function preflight(http: CheckHttp, target: CollectionTarget): Promise<void> {
  let status: number;
  try {
    status = (await http.send('GET', target.url)).status;
  } catch (error) {
    throw new CheckUsageError(`Cannot reach ${target.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (status === 401 || status === 403) {
    throw new CheckUsageError(`GET ${target.url} answered ${status}: pass credentials with --header 'Authorization: Bearer …'.`);
  }
}

function summarize(results: CheckResult[]): ReportSummary {
  const count = (predicate: (r: CheckResult) => boolean) => results.filter(predicate).length;
  return {
    total: results.length,
    pass: count((r) => r.verdict === 'pass'),
    fail: count((r) => r.verdict === 'fail'),
    notApplicable: count((r) => r.verdict === 'n/a'),
    mustFail: count((r) => r.verdict === 'fail' && r.level === 'MUST'),
  };
}
