import type { ResourceDeclaration } from '../../engine/types.js';

/**
 * Resource declarations that together use every option the OpenAPI generator must describe:
 * the three id policies, required preconditions, a required Idempotency-Key, effects, unique
 * fields and a schema with local `$defs`. Test-only.
 */
export const openApiTestResources: ResourceDeclaration[] = [
  {
    name: 'users',
    description: 'People who use the system.',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      required: ['name', 'email'],
      properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string', format: 'email' }, age: { type: 'integer', minimum: 0 } },
    },
    unique: ['email'],
  },
  {
    name: 'flights',
    idPolicy: 'client',
    requirePreconditions: true,
    schema: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { $ref: '#/$defs/airport' }, to: { $ref: '#/$defs/airport' }, seats: { type: 'integer' } },
      $defs: { airport: { type: 'string', pattern: '^[A-Z]{3}$' } },
    },
  },
  {
    name: 'orders',
    idPolicy: 'both',
    requireIdempotencyKey: true,
    schema: { type: 'object', required: ['total'], properties: { total: { type: 'number' }, charge_card: { type: 'boolean' } } },
    effects: [{ name: 'charge', url: 'http://127.0.0.1:1/charge', when: { field: 'charge_card', equals: true } }],
  },
];
