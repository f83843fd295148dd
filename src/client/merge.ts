/**
 * Three-way merge of top-level fields, the way `update()` re-applies a change after a 412:
 * `base` is what was read, `mine` is base with the caller's change, `theirs` is what the
 * server has now. Each side's change is the set of top-level fields that differ from base.
 */

/** A JSON object document. */
export type JsonObject = Record<string, unknown>;

/** Either the merged document, or the fields both sides changed to different values. */
export type MergeOutcome = { merged: JsonObject } | { conflict: string[] };

/**
 * Merge `mine`'s changes into `theirs`. Fields listed in `ignore` (server-managed: id,
 * version, createdAt, updatedAt) are taken from `theirs` and never conflict. A field both
 * sides changed to the same value is not a conflict.
 */
export function threeWayMerge(base: JsonObject, mine: JsonObject, theirs: JsonObject, ignore: readonly string[]): MergeOutcome {
  const mineChanged = changedFields(base, mine, ignore);
  const theirsChanged = new Set(changedFields(base, theirs, ignore));
  const conflict = mineChanged.filter((f) => theirsChanged.has(f) && !sameField(mine, theirs, f));
  if (conflict.length > 0) return { conflict };
  const merged: JsonObject = { ...theirs };
  for (const field of mineChanged) {
    if (Object.hasOwn(mine, field)) merged[field] = mine[field];
    else delete merged[field];
  }
  return { merged };
}

/** Top-level fields whose presence or value differs between `a` and `b`, minus `ignore`. */
export function changedFields(a: JsonObject, b: JsonObject, ignore: readonly string[] = []): string[] {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields].filter((f) => !ignore.includes(f) && !sameField(a, b, f));
}

function sameField(a: JsonObject, b: JsonObject, field: string): boolean {
  const inA = Object.hasOwn(a, field);
  const inB = Object.hasOwn(b, field);
  return inA === inB && (!inA || jsonEqual(a[field], b[field]));
}

/** Structural equality of JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ak = Object.keys(a);
  const bo = b as JsonObject;
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && jsonEqual((a as JsonObject)[k], bo[k]));
}
