import { isDeepStrictEqual } from 'node:util';

/**
 * Comparing representations. APIs add their own fields (id, version, timestamps), so "has
 * the fields I sent" and "is exactly what it was" are different questions.
 */

/** Fields of `expected` whose value in `actual` is missing or different. */
export function differingFields(expected: Record<string, unknown>, actual: unknown): string[] {
  const object = asObject(actual);
  if (object === undefined) return Object.keys(expected);
  return Object.keys(expected).filter((field) => !isDeepStrictEqual(object[field], expected[field]));
}

/** Top-level fields whose values differ between two representations (added or removed count too). */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = asObject(before) ?? {};
  const b = asObject(after) ?? {};
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields].filter((field) => !isDeepStrictEqual(a[field], b[field]));
}

/** The value as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A short JSON rendering for evidence lines. */
export function brief(value: unknown, max = 120): string {
  const text = value === undefined ? '(no JSON body)' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
