// A field-level diff of two JSON documents, for comparing two versions of a resource.
// Each entry is { pointer, change: 'added' | 'removed' | 'changed', before, after }, with
// pointer a JSON Pointer (RFC 6901) to the field. Arrays are compared by position.

function escapeToken(token) {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

function isContainer(value) {
  return value !== null && typeof value === 'object';
}

/** The differences between `before` and `after`, in document order. */
export function diffJson(before, after, pointer = '') {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? [...Array(Math.max(before.length, after.length)).keys()]
      : [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const out = [];
    for (const key of keys) {
      const child = `${pointer}/${escapeToken(key)}`;
      const has = (obj) => (Array.isArray(obj) ? key < obj.length : Object.hasOwn(obj, key));
      if (!has(before)) out.push({ pointer: child, change: 'added', before: undefined, after: after[key] });
      else if (!has(after)) out.push({ pointer: child, change: 'removed', before: before[key], after: undefined });
      else out.push(...diffJson(before[key], after[key], child));
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined || before === null) return [{ pointer: pointer || '/', change: before === undefined ? 'added' : 'changed', before, after }];
  if (after === undefined || after === null) return [{ pointer: pointer || '/', change: after === undefined ? 'removed' : 'changed', before, after }];
  return [{ pointer: pointer || '/', change: 'changed', before, after }];
}
