import type { JsonSchema, ResourceDeclaration } from '../../engine/types.js';
import type { OpenApiObject } from './components.js';

/**
 * The component schemas of one resource type. OpenAPI 3.1 schemas are JSON Schema draft
 * 2020-12, the dialect resource declarations are written in, so the declared schema is used
 * as it is, plus the server-managed fields of SPEC §1.
 */

/** `users` → `Users`: a component name (OpenAPI 3.1 §4.8.7.1: `^[a-zA-Z0-9.\-_]+$`). */
export function componentName(resource: string): string {
  const words = resource.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const name = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  return name.length > 0 ? name : 'Resource';
}

const SERVER_FIELDS: Record<string, OpenApiObject> = {
  id: { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$', readOnly: true, description: 'Assigned by the server on POST; taken from the URL on PUT. A different id in a body is 400.' },
  version: { type: 'integer', minimum: 1, readOnly: true, description: '1 on create, +1 on every change. A different version in a PUT or PATCH body is 409.' },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
};

/**
 * Copy a declared schema for embedding: `$schema`/`$id` are dropped (they would change the
 * dialect or the base URI inside the OpenAPI document) and local `#/$defs/…` references are
 * rewritten to the hoisted `<Name>.<def>` components.
 */
function embed(schema: JsonSchema, name: string): { schema: OpenApiObject; defs: Record<string, OpenApiObject> } {
  const defs: Record<string, OpenApiObject> = {};
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: OpenApiObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        out[key] = child.replace(/^#\/(?:\$defs|definitions)\/([^/]+)$/, (_m, def: string) => `#/components/schemas/${name}.${def}`);
      } else {
        out[key] = rewrite(child);
      }
    }
    return out;
  };
  const { $schema: _s, $id: _i, $defs, definitions, ...rest } = schema as Record<string, unknown>;
  for (const source of [definitions, $defs]) {
    if (source && typeof source === 'object') {
      for (const [def, value] of Object.entries(source)) defs[`${name}.${def}`] = rewrite(value) as OpenApiObject;
    }
  }
  return { schema: rewrite(rest) as OpenApiObject, defs };
}

/** The client's schema with the server-managed fields added, required or optional. */
function withServerFields(schema: OpenApiObject, required: boolean): OpenApiObject {
  const properties = { ...((schema['properties'] as OpenApiObject | undefined) ?? {}), ...SERVER_FIELDS };
  const own = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const out: OpenApiObject = { ...schema, type: schema['type'] ?? 'object', properties };
  if (required) out['required'] = [...new Set([...Object.keys(SERVER_FIELDS), ...own])];
  else if (own.length > 0) out['required'] = own;
  return out;
}

/** Every component schema of one resource type, keyed by component name. */
export function resourceSchemas(resource: ResourceDeclaration): Record<string, OpenApiObject> {
  const name = componentName(resource.name);
  const { schema, defs } = embed(resource.schema, name);
  const one = { $ref: `#/components/schemas/${name}` };
  return {
    ...defs,
    [name]: {
      ...withServerFields(schema, true),
      title: name,
      description: `${resource.description ?? `A ${resource.name} resource.`} The representation: the client's fields plus the server-managed id, version, createdAt and updatedAt.`,
    },
    [`${name}Input`]: {
      ...withServerFields(schema, false),
      title: `${name}Input`,
      description:
        'The document to send on POST and PUT. A PUT replaces the whole document: required fields must be present and optional fields left out are removed. ' +
        'Server-managed fields may be sent back as received: createdAt/updatedAt are ignored, a different id is 400, a different version is 409.',
    },
    [`${name}MergePatch`]: {
      type: 'object',
      description: 'An RFC 7396 JSON Merge Patch: the fields to change; `null` removes a field. The result must be a valid document.',
    },
    [`${name}Page`]: {
      type: 'object',
      required: ['items', 'next'],
      description: 'One page of the collection, in id order. Pass `next` as `cursor` to get the following page; null on the last page.',
      properties: { items: { type: 'array', items: one }, next: { type: ['string', 'null'] } },
    },
    [`${name}Version`]: {
      type: 'object',
      description: 'One entry of the history (SPEC §6): the state after a change, who made it, when and with which request.',
      required: ['version', 'change', 'at', 'principal'],
      properties: {
        version: { type: 'integer', minimum: 1 },
        change: { type: 'string', enum: ['create', 'replace', 'patch', 'delete'] },
        at: { type: 'string', format: 'date-time' },
        principal: { type: 'string', description: 'The caller (API key name) that made the change.' },
        requestId: { type: 'string' },
        method: { type: 'string' },
        idempotencyKey: { type: ['string', 'null'] },
        etag: { type: ['string', 'null'] },
        effects: { type: 'array', description: 'Side effects this change triggered, with their delivery state (SPEC §5).', items: { $ref: '#/components/schemas/Effect' } },
        document: { oneOf: [one, { type: 'null' }], description: 'The representation after the change; null for a delete.' },
      },
    },
    [`${name}VersionPage`]: {
      type: 'object',
      required: ['items', 'next'],
      description: 'History entries, newest first.',
      properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${name}Version` } }, next: { type: ['string', 'null'] } },
    },
  };
}
