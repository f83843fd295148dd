import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../http/problem.js';
import type { JsonSchema, ResourceDeclaration } from './types.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The outcome of validating a complete document against its resource type's schema. */
export interface ValidationResult {
  valid: boolean;
  errors: FieldError[];
  /** Required top-level fields that are absent. */
  missing: string[];
}

export type DocumentValidator = (document: unknown) => ValidationResult;

/**
 * Compile every resource type's JSON Schema (draft 2020-12) once, with all errors reported
 * so a client learns every problem of a document in one round trip.
 */
export function compileValidators(resources: readonly ResourceDeclaration[]): Map<string, DocumentValidator> {
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false, coerceTypes: false });
  addFormats(ajv);
  const validators = new Map<string, DocumentValidator>();
  for (const resource of resources) {
    validators.set(resource.name, toValidator(ajv.compile(resource.schema as JsonSchema)));
  }
  return validators;
}

function toValidator(validate: ValidateFunction): DocumentValidator {
  return (document) => {
    if (validate(document)) return { valid: true, errors: [], missing: [] };
    const raw = validate.errors ?? [];
    return {
      valid: false,
      errors: raw.map(toFieldError),
      missing: raw.filter((e) => e.keyword === 'required' && e.instancePath === '').map((e) => String(e.params['missingProperty'])),
    };
  };
}

/** An Ajv error as `{pointer, message}`, the pointer naming the offending field itself. */
function toFieldError(error: ErrorObject): FieldError {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { pointer: `${error.instancePath}/${escape(String(params['missingProperty']))}`, message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return {
      pointer: `${error.instancePath}/${escape(String(params['additionalProperty']))}`,
      message: 'is not a field of this resource type (unknown fields are refused so typos are caught)',
    };
  }
  if (error.keyword === 'enum') {
    return { pointer: error.instancePath, message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { pointer: error.instancePath, message: error.message ?? 'is invalid' };
}

/** RFC 6901 §3: `~` and `/` inside a reference token. */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
