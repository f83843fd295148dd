import type { FieldError, Problem } from './types.js';

/**
 * Parse a problem details object (RFC 9457 §3) from a parsed JSON body. Standard members of
 * the wrong JSON type are ignored, as §3.1 asks of consumers; extension members are kept.
 * Returns undefined when the body is not a JSON object at all.
 */
export function parseProblem(body: unknown): Problem | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const raw = body as Record<string, unknown>;
  const problem: Problem = { ...raw, type: typeof raw['type'] === 'string' ? raw['type'] : 'about:blank' };
  for (const key of ['title', 'detail', 'instance', 'currentEtag'] as const) {
    if (key in problem && typeof raw[key] !== 'string') delete problem[key];
  }
  for (const key of ['status', 'currentVersion'] as const) {
    if (key in problem && typeof raw[key] !== 'number') delete problem[key];
  }
  if ('errors' in problem) {
    const errors = fieldErrors(raw['errors']);
    if (errors) problem.errors = errors;
    else delete problem.errors;
  }
  if ('missing' in problem) {
    const missing = raw['missing'];
    if (Array.isArray(missing) && missing.every((m) => typeof m === 'string')) problem.missing = missing;
    else delete problem.missing;
  }
  return problem;
}

/** The well-formed `{pointer, message}` entries of an `errors` member, or undefined if it is not an array. */
function fieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FieldError[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const { pointer, message } = item as Record<string, unknown>;
    if (typeof pointer === 'string' && typeof message === 'string') out.push({ pointer, message });
  }
  return out;
}

/** True when the problem's `type` URI ends with `/<name>` (idem's types are `<base>/<name>`). */
export function problemTypeIs(problem: Problem | undefined, name: string): boolean {
  return problem !== undefined && (problem.type === name || problem.type.endsWith(`/${name}`));
}
