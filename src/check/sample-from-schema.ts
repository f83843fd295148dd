import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;

/** Resolves a `$ref`-holding value to the schema it names (identity when there is none). */
export type Resolver = (value: unknown) => unknown;

/** Nesting beyond this gets no further optional fields: enough for any real document. */
const MAX_DEPTH = 6;

/**
 * A document that a JSON Schema (2020-12 / OpenAPI 3.1) accepts, for APIs described by
 * OpenAPI: `examples`/`example`, `const`, `default` and `enum` are taken as given; otherwise
 * a value is made from the type and its limits. Required properties are always filled and
 * optional scalars and arrays too, because the PUT-replacement check needs a field it can leave out.
 * `readOnly` properties are server-managed and never sent (OpenAPI 3.1 §4.8.24, JSON Schema
 * validation §9.4).
 */
export function sampleFromSchema(schema: Json, resolve: Resolver = (v) => v): Record<string, unknown> {
  const value = valueFor(schema, resolve, 0);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function valueFor(raw: unknown, resolve: Resolver, depth: number): unknown {
  const schema = asJson(resolve(raw)) ?? {};
  if ('const' in schema) return schema['const'];
  const examples = schema['examples'];
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  if ('example' in schema) return schema['example'];
  if ('default' in schema) return schema['default'];
  const choices = schema['enum'];
  if (Array.isArray(choices) && choices.length > 0) return choices[0];
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const options = schema[keyword];
    if (Array.isArray(options) && options.length > 0) {
      if (keyword !== 'allOf') return valueFor(options[0], resolve, depth);
      // allOf: merge the object parts, which is how OpenAPI documents compose schemas.
      return Object.assign({}, ...options.map((part) => valueFor(part, resolve, depth)).filter(isObject));
    }
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectFor(schema, resolve, depth);
    case 'array':
      return arrayFor(schema, resolve, depth);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      // false: a flag set to true is the likelier trigger of a side effect (charge_card: true).
      return false;
    case 'null':
      return null;
    default:
      return stringFor(schema);
  }
}

function typeOf(schema: Json): string {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') as string | undefined) ?? 'null';
  if ('properties' in schema) return 'object';
  if ('items' in schema) return 'array';
  return 'string';
}

function objectFor(schema: Json, resolve: Resolver, depth: number): Record<string, unknown> {
  const properties = asJson(schema['properties']) ?? {};
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : []);
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = asJson(resolve(raw)) ?? {};
    if (property['readOnly'] === true) continue;
    // Optional scalars and arrays are cheap to fill and give PUT-replacement a field to leave out.
    const simple = ['string', 'integer', 'number', 'boolean', 'array'].includes(typeOf(property)) || 'enum' in property;
    if (required.has(name) || (simple && depth < MAX_DEPTH)) out[name] = valueFor(property, resolve, depth + 1);
  }
  return out;
}

function arrayFor(schema: Json, resolve: Resolver, depth: number): unknown[] {
  const minItems = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
  const count = Math.max(minItems, 0);
  return Array.from({ length: count }, (_, i) => {
    const item = valueFor(schema['items'] ?? {}, resolve, depth + 1);
    // uniqueItems arrays of strings need distinct members.
    return typeof item === 'string' && i > 0 ? `${item}-${i}` : item;
  });
}

function numberFor(schema: Json, integer: boolean): number {
  const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
  const exclusiveMinimum = typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] : undefined;
  const maximum = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
  let value = minimum ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + 1 : 1);
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

function stringFor(schema: Json): string {
  switch (schema['format']) {
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'email':
      return 'idem-check@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/idem-check';
    case 'uuid':
      return randomUUID();
    default:
      break;
  }
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const maxLength = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Number.POSITIVE_INFINITY;
  let value = 'idem-check';
  while (value.length < minLength) value += 'x';
  return value.slice(0, Math.max(maxLength, minLength));
}

function asJson(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
