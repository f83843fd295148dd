import { filterableFields } from '../../engine/query.js';
import type { ResourceDeclaration } from '../../engine/types.js';
import { idempotencyKeyParameter, ref, type OpenApiObject } from './components.js';
import { componentName } from './resource-schemas.js';

/** The retention of Idempotency-Keys, for descriptions. */
export interface Retention {
  seconds: number;
  text: string;
}

/** Responses every resource operation can give: access control and rate limiting (SPEC §7). */
const ACCESS_RESPONSES: OpenApiObject = {
  '401': ref('responses', 'Unauthorized'),
  '403': ref('responses', 'Forbidden'),
  '429': ref('responses', 'TooManyRequests'),
};

/** Headers of a response that may be a replay of a stored one (Idempotency-Key draft §2.6). */
const REPLAY_HEADER = { 'Idempotent-Replayed': ref('headers', 'IdempotentReplayed') };

function json(schema: string, description: string, headerRefs: OpenApiObject = {}): OpenApiObject {
  return { description, headers: headerRefs, content: { 'application/json': { schema: ref('schemas', schema) } } };
}

function noBody(description: string, headerRefs: OpenApiObject = {}): OpenApiObject {
  return { description, headers: headerRefs };
}

/** The HEAD twin of a GET operation (RFC 9110 §9.3.2): same responses without content. */
function headOf(get: OpenApiObject, operationId: string): OpenApiObject {
  const responses: OpenApiObject = {};
  for (const [status, response] of Object.entries(get['responses'] as OpenApiObject)) {
    const r = response as OpenApiObject;
    responses[status] = '$ref' in r ? r : { description: r['description'], headers: r['headers'] ?? {} };
  }
  return { ...get, operationId, summary: `${get['summary'] as string} (headers only)`, responses };
}

function options(name: string, operationId: string, allow: string, patch: boolean): OpenApiObject {
  const headers: OpenApiObject = { Allow: ref('headers', 'Allow') };
  if (patch) headers['Accept-Patch'] = ref('headers', 'AcceptPatch');
  return {
    tags: [name],
    operationId,
    summary: `The methods that work here (${allow})`,
    responses: { '204': noBody(`No content; Allow: ${allow}.`, headers), ...ACCESS_RESPONSES },
  };
}

/** Query parameters that filter a collection: equality on top-level scalar fields. */
function filterParameters(resource: ResourceDeclaration): OpenApiObject[] {
  return [...filterableFields(resource)].map(([field, type]) => ({
    name: field,
    in: 'query',
    required: false,
    description: `Only items whose ${field} equals this value.`,
    schema: { type },
  }));
}

/** The path items of one resource type: collection, item, history, one version, effects. */
export function resourcePaths(resource: ResourceDeclaration, retention: Retention): Record<string, OpenApiObject> {
  const c = resource.name;
  const N = componentName(c);
  const tags = [c];
  const idPolicy = resource.idPolicy ?? 'server';
  const guarded = resource.requirePreconditions === true;
  const keyParam = ref('parameters', 'IdempotencyKey');
  const postKeyParam = resource.requireIdempotencyKey === true ? idempotencyKeyParameter(retention, true) : keyParam;
  const writeParams = [ref('parameters', 'IfMatch'), keyParam, ref('parameters', 'Prefer')];
  const precondition: OpenApiObject = guarded ? { '412': ref('responses', 'PreconditionFailed'), '428': ref('responses', 'PreconditionRequired') } : { '412': ref('responses', 'PreconditionFailed') };
  // What a PUT or PATCH of one resource can fail with.
  const bodyWriteFailures: OpenApiObject = {
    '400': ref('responses', 'BadRequest'),
    '404': ref('responses', 'NotFound'),
    '409': ref('responses', 'Conflict'),
    ...precondition,
    '413': ref('responses', 'PayloadTooLarge'),
    '415': ref('responses', 'UnsupportedMediaType'),
    '422': ref('responses', 'IdempotencyKeyReused'),
    ...ACCESS_RESPONSES,
  };
  const written = { ETag: ref('headers', 'ETag'), 'Last-Modified': ref('headers', 'LastModified'), 'Preference-Applied': ref('headers', 'PreferenceApplied'), ...REPLAY_HEADER };
  const body = (schema: string): OpenApiObject => ({ required: true, content: { 'application/json': { schema: ref('schemas', schema) } } });
  const guardNote = guarded ? ' This resource type requires If-Match (428 without it).' : '';

  const listGet: OpenApiObject = {
    tags,
    operationId: `list${N}`,
    summary: `List ${c}`,
    description: 'One page of live resources in id order. Filter by equality on top-level scalar fields; unknown parameters are 400.',
    parameters: [ref('parameters', 'Limit'), ref('parameters', 'Cursor'), ...filterParameters(resource), ref('parameters', 'IfNoneMatchRead')],
    responses: {
      '200': json(`${N}Page`, 'A page of resources.', { ETag: ref('headers', 'ETag'), Link: ref('headers', 'Link') }),
      '304': ref('responses', 'NotModified'),
      '400': ref('responses', 'BadRequest'),
      ...ACCESS_RESPONSES,
    },
  };
  const collection: OpenApiObject = { get: listGet, head: headOf(listGet, `head${N}List`), options: options(c, `options${N}List`, idPolicy === 'client' ? 'GET, HEAD, OPTIONS' : 'GET, HEAD, POST, OPTIONS', false) };
  if (idPolicy === 'client') {
    collection['post'] = {
      tags,
      operationId: `create${N}`,
      summary: `Not available: ${c} ids are chosen by the client`,
      description: `Create a ${c} resource with PUT /${c}/{id} instead.`,
      responses: { '405': ref('responses', 'MethodNotAllowed'), ...ACCESS_RESPONSES },
    };
  } else {
    collection['post'] = {
      tags,
      operationId: `create${N}`,
      summary: `Create a ${c} resource (the server assigns the id)`,
      description: `Send an Idempotency-Key to make the POST safe to retry.${resource.requireIdempotencyKey === true ? ' This resource type requires it.' : ''}`,
      parameters: [postKeyParam, ref('parameters', 'Prefer')],
      requestBody: body(`${N}Input`),
      responses: {
        '201': {
          ...json(N, 'Created. With Prefer: return=minimal the body is empty.', { Location: ref('headers', 'Location'), ...written }),
        },
        '400': ref('responses', 'BadRequest'),
        '409': ref('responses', 'Conflict'),
        '413': ref('responses', 'PayloadTooLarge'),
        '415': ref('responses', 'UnsupportedMediaType'),
        '422': ref('responses', 'IdempotencyKeyReused'),
        ...ACCESS_RESPONSES,
      },
    };
  }

  const getItem: OpenApiObject = {
    tags,
    operationId: `get${N}`,
    summary: `Read one ${c} resource`,
    parameters: [ref('parameters', 'IfNoneMatchRead')],
    responses: {
      '200': json(N, 'The resource.', { ETag: ref('headers', 'ETag'), 'Last-Modified': ref('headers', 'LastModified') }),
      '304': ref('responses', 'NotModified'),
      '400': ref('responses', 'BadRequest'),
      '404': ref('responses', 'NotFound'),
      ...ACCESS_RESPONSES,
    },
  };
  const item: OpenApiObject = {
    parameters: [ref('parameters', 'Id')],
    get: getItem,
    head: headOf(getItem, `head${N}`),
    put: {
      tags,
      operationId: `replace${N}`,
      summary: idPolicy === 'server' ? `Replace a ${c} resource` : `Create or replace a ${c} resource`,
      description:
        'PUT replaces the whole document (PATCH changes part of it). A PUT that changes nothing changes nothing: same version, ETag and no history entry.' +
        (idPolicy === 'server' ? ' The resource must exist (404 otherwise): create with POST.' : ' A missing id is created (201).') +
        guardNote,
      parameters: [...writeParams, ref('parameters', 'IfNoneMatchWrite')],
      requestBody: body(`${N}Input`),
      responses: {
        '200': json(N, 'Replaced.', written),
        ...(idPolicy === 'server' ? {} : { '201': json(N, 'Created.', { Location: ref('headers', 'Location'), ...written }) }),
        '204': noBody('Replaced, with Prefer: return=minimal.', written),
        ...bodyWriteFailures,
      },
    },
    patch: {
      tags,
      operationId: `patch${N}`,
      summary: `Change part of a ${c} resource`,
      description: `JSON Merge Patch (RFC 7396) or JSON Patch (RFC 6902); the result is validated as a whole document.${guardNote}`,
      parameters: writeParams,
      requestBody: {
        required: true,
        content: {
          'application/merge-patch+json': { schema: ref('schemas', `${N}MergePatch`) },
          'application/json-patch+json': { schema: ref('schemas', 'JsonPatch') },
        },
      },
      responses: {
        '200': json(N, 'Changed.', written),
        '204': noBody('Changed, with Prefer: return=minimal.', written),
        ...bodyWriteFailures,
      },
    },
    delete: {
      tags,
      operationId: `delete${N}`,
      summary: `Delete a ${c} resource`,
      description: `A second DELETE is 404 and changes nothing. The history stays readable.${guardNote}`,
      parameters: [ref('parameters', 'IfMatch'), keyParam],
      responses: {
        '204': noBody('Deleted.', REPLAY_HEADER),
        '400': ref('responses', 'BadRequest'),
        '404': ref('responses', 'NotFound'),
        '409': ref('responses', 'Conflict'),
        ...precondition,
        '422': ref('responses', 'IdempotencyKeyReused'),
        ...ACCESS_RESPONSES,
      },
    },
    options: options(c, `options${N}`, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS', true),
  };

  const listVersions: OpenApiObject = {
    tags,
    operationId: `list${N}Versions`,
    summary: `History of a ${c} resource, newest first`,
    description: 'Every change, with who, when and which request. Readable after a delete.',
    parameters: [ref('parameters', 'Limit'), ref('parameters', 'Cursor')],
    responses: {
      '200': json(`${N}VersionPage`, 'A page of history entries.', { ETag: ref('headers', 'ETag'), Link: ref('headers', 'Link') }),
      '400': ref('responses', 'BadRequest'),
      '404': ref('responses', 'NotFound'),
      ...ACCESS_RESPONSES,
    },
  };
  const getVersion: OpenApiObject = {
    tags,
    operationId: `get${N}Version`,
    summary: `One version of a ${c} resource`,
    responses: { '200': json(`${N}Version`, 'The history entry.'), '404': ref('responses', 'NotFound'), ...ACCESS_RESPONSES },
  };
  const listEffects: OpenApiObject = {
    tags,
    operationId: `list${N}Effects`,
    summary: `Side effects of a ${c} resource and their delivery state`,
    responses: { '200': json('EffectList', 'The outbox entries of this resource.'), '404': ref('responses', 'NotFound'), ...ACCESS_RESPONSES },
  };

  const idParam = [ref('parameters', 'Id')];
  return {
    [`/${c}`]: collection,
    [`/${c}/{id}`]: item,
    [`/${c}/{id}/versions`]: { parameters: idParam, get: listVersions, head: headOf(listVersions, `head${N}Versions`) },
    [`/${c}/{id}/versions/{n}`]: { parameters: [...idParam, ref('parameters', 'VersionNumber')], get: getVersion, head: headOf(getVersion, `head${N}Version`) },
    [`/${c}/{id}/effects`]: { parameters: idParam, get: listEffects, head: headOf(listEffects, `head${N}Effects`) },
  };
}
