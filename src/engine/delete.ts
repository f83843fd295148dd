import { ProblemError } from '../http/problem.js';
import type { StoreTx } from '../store/store.js';
import { commitChange } from './commit-change.js';
import type { RequestContext } from './context.js';
import { checkWritePreconditions } from './preconditions.js';
import { tombstone } from './representation.js';
import type { EngineResponse } from './types.js';

/**
 * DELETE /{c}/{id}: 204, leaving a tombstone and a `delete` version so history stays readable.
 * A second DELETE finds nothing and is 404, with the state unchanged (RFC 9110 §9.2.2: DELETE
 * is idempotent in its effect on the server, not in its status code).
 */
export async function deleteResource(tx: StoreTx, ctx: RequestContext, id: string): Promise<EngineResponse> {
  const target = { collection: ctx.resource.name, id };
  const stored = await tx.getDocumentForUpdate(ctx.resource.name, id);
  const current = stored && !stored.deleted ? stored : undefined;
  checkWritePreconditions(ctx.preconditions, current, target);
  if (!current) {
    const detail = stored ? `${ctx.resource.name} ${id} was already deleted; its history is at /${ctx.resource.name}/${id}/versions.` : `There is no ${ctx.resource.name} ${id}.`;
    throw new ProblemError('not-found', detail);
  }
  await commitChange(tx, ctx, 'delete', tombstone(current, ctx.at), undefined, current);
  return { status: 204, headers: {} };
}
