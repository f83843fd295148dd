import type { ProblemExtensions } from '../http/problem.js';
import type { StoredDocument } from '../store/store.js';

/**
 * What every 409 and 412 carries (SPEC §3, §6): the current ETag and version, and where to
 * read the current state and the history, so a client can reload, three-way merge and retry.
 */
export function conflictDetails(current: StoredDocument | undefined, target: { collection: string; id: string }): ProblemExtensions {
  const base = `/${target.collection}/${encodeURIComponent(target.id)}`;
  if (!current || current.deleted) return { currentEtag: null, currentVersion: null, history: `${base}/versions` };
  return {
    currentEtag: current.etag,
    currentVersion: current.version,
    current: base,
    currentVersionUrl: `${base}/versions/${current.version}`,
    history: `${base}/versions`,
  };
}
