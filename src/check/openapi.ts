import { readFile } from 'node:fs/promises';
import { sampleFromSchema } from './sample-from-schema.js';
import type { CollectionTarget } from './types.js';

type Json = Record<string, unknown>;

/** Raised when an OpenAPI document cannot be loaded or read. */
export class OpenApiError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OpenApiError';
  }
}

/** Load an OpenAPI document (JSON) from a file path or an http(s) URL. */
export async function loadOpenApi(source: string, fetchImpl: typeof fetch = fetch): Promise<Json> {
  let text: string;
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await fetchImpl(source, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new OpenApiError(`GET ${source} answered ${response.status}.`);
      text = await response.text();
    } else {
      text = await readFile(source, 'utf8');
    }
  } catch (error) {
    if (error instanceof OpenApiError) throw error;
    throw new OpenApiError(`Cannot read the OpenAPI document ${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OpenApiError(`${source} is not JSON. idem check reads OpenAPI documents in JSON; convert a YAML one first.`);
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Json)['paths'] !== 'object') {
    throw new OpenApiError(`${source} has no "paths" object: is it an OpenAPI 3 document?`);
  }
  return parsed as Json;
}

/**
 * Collections the checker can audit: a path `/x` (no template) whose item path `/x/{param}`
 * has GET. With a POST on `/x` that can answer 2xx, ids are the server's; otherwise, with a
 * PUT on the item that can answer 201, they are the client's. The sample is built from the
 * create operation's application/json request schema.
 *
 * Paths resolve against `baseUrl`, never against the document's `servers`: the checker
 * writes to what it checks, so it only ever talks to the host the user named.
 */
export function targetsFromOpenApi(document: Json, baseUrl: string, only?: string[]): CollectionTarget[] {
  const paths = asJson(document['paths']) ?? {};
  const base = baseUrl.replace(/\/+$/, '');
  const targets: CollectionTarget[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (path.includes('{') || (only !== undefined && only.length > 0 && !only.includes(path))) continue;
    const itemPath = Object.keys(paths).find((p) => p.startsWith(`${path}/{`) && /^\/\{[^}/]+\}$/.test(p.slice(path.length)));
    if (itemPath === undefined) continue;
    const itemOps = asJson(resolve(document, paths[itemPath])) ?? {};
    if (asJson(itemOps['get']) === undefined) continue;
    const post = asJson(asJson(resolve(document, item))?.['post']);
    const put = asJson(itemOps['put']);
    const serverIds = post !== undefined && answers(post, (s) => s.startsWith('2'));
    const clientIds = !serverIds && put !== undefined && answers(put, (s) => s === '201');
    if (!serverIds && !clientIds) continue;
    const schema = requestSchema(document, serverIds ? post : put);
    targets.push({
      url: `${base}${path}`,
      sample: schema ? sampleFromSchema(schema, (value) => resolve(document, value)) : {},
      idField: 'id',
      clientIds,
      ...(schema ? { schema: flatten(document, schema) } : {}),
    });
  }
  return targets;
}

function answers(operation: Json, test: (status: string) => boolean): boolean {
  return Object.keys(asJson(operation['responses']) ?? {}).some(test);
}

function requestSchema(document: Json, operation: Json | undefined): Json | undefined {
  const body = asJson(resolve(document, operation?.['requestBody']));
  const content = asJson(body?.['content']) ?? {};
  const json = Object.entries(content).find(([type]) => type === 'application/json' || /^application\/[^;]*\+json/.test(type));
  return asJson(resolve(document, asJson(json?.[1])?.['schema']));
}

/** The schema with its properties' local $refs resolved one level, for document-variants. */
function flatten(document: Json, schema: Json): Json {
  const properties = asJson(schema['properties']);
  if (properties === undefined) return schema;
  const resolved = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, resolve(document, v)]));
  return { ...schema, properties: resolved };
}

/** Follow a local `$ref` (`#/components/…`, RFC 6901 pointer) until a non-reference value. */
export function resolve(document: Json, value: unknown, depth = 0): unknown {
  const ref = asJson(value)?.['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 20) return value;
  let target: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    target = asJson(target)?.[key];
  }
  return resolve(document, target, depth + 1);
}

function asJson(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
