/**
 * Building valid variants of the user's sample document without knowing the API's rules:
 * which field can be left out (to see whether PUT replaces), and which field can be changed
 * (to see whether a write happened). When an OpenAPI schema is known it decides; otherwise
 * the checker tries candidates in a sensible order and keeps the first the API accepts.
 */

/** A field the checker changes to make a write observable. */
export interface Change {
  field: string;
  /** A value for `field` that differs from `current` and, where possible, from every value given before. */
  differentFrom(current: unknown): unknown;
}

type Schema = Record<string, unknown>;

function propertySchema(schema: Schema | undefined, field: string): Schema | undefined {
  const properties = schema?.['properties'];
  if (typeof properties !== 'object' || properties === null) return undefined;
  const property = (properties as Record<string, unknown>)[field];
  return typeof property === 'object' && property !== null ? (property as Schema) : undefined;
}

function requiredFields(schema: Schema | undefined): Set<string> | undefined {
  const required = schema?.['required'];
  return Array.isArray(required) ? new Set(required.filter((x): x is string => typeof x === 'string')) : undefined;
}

/** The sample's client fields: the id field is the server's (or the URL's) business. */
export function clientFields(sample: Record<string, unknown>, idField: string): Record<string, unknown> {
  const { [idField]: _id, ...rest } = sample;
  return rest;
}

/**
 * Fields worth leaving out of a PUT to test full replacement, best first: with a schema, the
 * optional ones; without, every field from the last (required fields tend to come first).
 */
export function omittableFields(document: Record<string, unknown>, schema?: Schema): string[] {
  const fields = Object.keys(document);
  const required = requiredFields(schema);
  if (required !== undefined) return fields.filter((field) => !required.has(field));
  return fields.reverse();
}

/** Rank of a field as a change candidate: plain strings first, constrained values last. */
function rank(value: unknown, property: Schema | undefined): number {
  const constrained = property !== undefined && ('pattern' in property || 'format' in property || 'const' in property);
  if (Array.isArray(property?.['enum'])) return 3;
  if (typeof value === 'string') return constrained ? 4 : 0;
  if (typeof value === 'number') return constrained ? 4 : 1;
  if (typeof value === 'boolean') return 2;
  return 9;
}

/** Candidate changes, best first. Only scalar fields are changed: they are easy to compare. */
export function changeCandidates(document: Record<string, unknown>, schema?: Schema): Change[] {
  return Object.entries(document)
    .map(([field, value]) => ({ field, value, property: propertySchema(schema, field) }))
    .filter(({ value, property }) => rank(value, property) < 9)
    .sort((a, b) => rank(a.value, a.property) - rank(b.value, b.property))
    .map(({ field, value, property }) => makeChange(field, value, property))
    .filter((change): change is Change => change !== undefined);
}

function makeChange(field: string, original: unknown, property: Schema | undefined): Change | undefined {
  const choices = property?.['enum'];
  if (Array.isArray(choices)) {
    if (choices.length < 2) return undefined;
    return {
      field,
      differentFrom: (current) => choices[(Math.max(choices.indexOf(current), 0) + 1) % choices.length],
    };
  }
  if (typeof original === 'boolean') return { field, differentFrom: (current) => current !== true };
  let counter = 1;
  if (typeof original === 'number') {
    const maximum = typeof property?.['maximum'] === 'number' ? property['maximum'] : Number.POSITIVE_INFINITY;
    return {
      field,
      differentFrom: (current) => {
        let value: number;
        do {
          counter += 1;
          value = original + counter <= maximum ? original + counter : original - counter;
        } while (value === current);
        return value;
      },
    };
  }
  if (typeof original === 'string') {
    const maxLength = typeof property?.['maxLength'] === 'number' ? property['maxLength'] : Number.POSITIVE_INFINITY;
    return {
      field,
      differentFrom: (current) => {
        let value: string;
        do {
          counter += 1;
          const suffix = `-${counter}`;
          value = original.length + suffix.length <= maxLength ? original + suffix : `${original.slice(0, Math.max(0, maxLength - suffix.length))}${suffix}`;
        } while (value === current);
        return value;
      },
    };
  }
  return undefined;
}

/**
 * A copy of the document whose free-text strings carry `tag`, so that every resource the
 * checker creates is distinguishable and does not collide with unique fields (an email
 * becomes `local+tag@domain`). Enum, const, pattern-constrained and formatted strings
 * (other than emails) are left alone, since a changed value could be invalid.
 */
export function freshen(document: Record<string, unknown>, tag: string, schema?: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(document)) {
    const property = propertySchema(schema, field);
    const format = property?.['format'];
    const fixed = property !== undefined && ('enum' in property || 'const' in property || 'pattern' in property || (format !== undefined && format !== 'email'));
    if (typeof value !== 'string' || fixed) {
      out[field] = value;
    } else if (/^[^@\s]+@[^@\s]+$/.test(value)) {
      const [local, domain] = value.split('@') as [string, string];
      out[field] = `${local}+${tag}@${domain}`;
    } else {
      const maxLength = typeof property?.['maxLength'] === 'number' ? property['maxLength'] : Number.POSITIVE_INFINITY;
      out[field] = value.length + tag.length + 1 <= maxLength ? `${value}-${tag}` : value;
    }
  }
  return out;
}
