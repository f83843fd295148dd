import { strongEtag } from '../http/etag.js';
import { ProblemError } from '../http/problem.js';
import type { OutboxEffect, VersionRecord } from '../store/store.js';
import type { RequestContext } from './context.js';
import { encodeCursor, parsePageQuery } from './query.js';
import { pageResponse } from './read.js';
import { jsonResponse } from './respond.js';
import type { EngineResponse } from './types.js';

/** One history entry as served: who changed what, when, by which request, and the effects it triggered (SPEC §5, §6). */
function versionJson(v: VersionRecord, effects: Array<Record<string, unknown>>): string {
  const document = v.body ?? 'null';
  const meta = {
    version: v.version,
    change: v.change,
    at: v.at,
    principal: v.principal,
    method: v.method,
    requestId: v.requestId,
    idempotencyKey: v.idempotencyKey,
    etag: v.etag,
    effects,
  };
  return `${JSON.stringify(meta).slice(0, -1)},"document":${document}}`;
}

/** The resource's effects grouped by the version whose change triggered them. */
async function effectsByVersion(ctx: RequestContext, id: string): Promise<Map<number, Array<Record<string, unknown>>>> {
  const byVersion = new Map<number, Array<Record<string, unknown>>>();
  if (!ctx.resource.effects?.length) return byVersion;
  for (const effect of await ctx.core.store.listEffects(ctx.resource.name, id)) {
    const version = (JSON.parse(effect.payload) as { body?: { version?: number } }).body?.version ?? 0;
    byVersion.set(version, [...(byVersion.get(version) ?? []), effectJson(effect)]);
  }
  return byVersion;
}

async function requireExisted(ctx: RequestContext, id: string): Promise<void> {
  const doc = await ctx.core.store.getDocument(ctx.resource.name, id);
  if (!doc) throw new ProblemError('not-found', `There is no ${ctx.resource.name} with id ${JSON.stringify(id)}, now or in the past.`);
}

/** GET /{c}/{id}/versions: newest first, paginated like collections; readable after DELETE. */
export async function listVersions(ctx: RequestContext, id: string): Promise<EngineResponse> {
  const query = parsePageQuery(ctx.req.query, undefined);
  await requireExisted(ctx, id);
  const beforeVersion = typeof query.position === 'number' ? query.position : undefined;
  const rows = await ctx.core.store.listVersions(ctx.resource.name, id, { beforeVersion, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const cursor = rows.length > query.limit && last ? encodeCursor(last.version) : null;
  const effects = await effectsByVersion(ctx, id);
  const body = `{"items":[${page.map((v) => versionJson(v, effects.get(v.version) ?? [])).join(',')}],"next":${JSON.stringify(cursor)}}`;
  return pageResponse(ctx, body, cursor, `/${ctx.resource.name}/${encodeURIComponent(id)}/versions`, query.params);
}

/** GET /{c}/{id}/versions/{n}. */
export async function readVersion(ctx: RequestContext, id: string, versionText: string): Promise<EngineResponse> {
  const n = /^[1-9]\d{0,15}$/.test(versionText) ? Number(versionText) : Number.NaN;
  const row = Number.isSafeInteger(n) ? await ctx.core.store.getVersion(ctx.resource.name, id, n) : undefined;
  if (!row) {
    throw new ProblemError('not-found', `${ctx.resource.name} ${id} has no version ${JSON.stringify(versionText)}; GET /${ctx.resource.name}/${id}/versions lists the versions kept.`);
  }
  const body = versionJson(row, (await effectsByVersion(ctx, id)).get(row.version) ?? []);
  return jsonResponse(200, body, { etag: strongEtag(body) });
}

function effectJson(e: OutboxEffect): Record<string, unknown> {
  return {
    effect: e.effect,
    state: e.state,
    attempts: e.attempts,
    idempotencyKey: e.idempotencyKey,
    lastError: e.lastError,
    createdAt: new Date(e.createdAt).toISOString(),
    deliveredAt: e.deliveredAt === null ? null : new Date(e.deliveredAt).toISOString(),
  };
}

/** GET /{c}/{id}/effects: the side effects this resource triggered and their delivery state (SPEC §5). */
export async function listEffects(ctx: RequestContext, id: string): Promise<EngineResponse> {
  await requireExisted(ctx, id);
  const effects = await ctx.core.store.listEffects(ctx.resource.name, id);
  const body = JSON.stringify({ items: effects.map(effectJson) });
  return jsonResponse(200, body, { etag: strongEtag(body) });
}
