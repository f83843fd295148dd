import type { JsonObject } from './body.js';

/**
 * Apply a JSON Merge Patch (RFC 7396 §2) to a target without mutating it. Follows the RFC's
 * MergePatch pseudo-code: a non-object patch replaces the target; `null` removes a member;
 * objects merge recursively; arrays and scalars replace. Members are defined as own data
 * properties, so no key can ever reach a prototype.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete result[key];
    } else {
      Object.defineProperty(result, key, { value: applyMergePatch(result[key], value), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
