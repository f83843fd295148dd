import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IdemConfig, ResourceDeclaration } from '../engine/types.js';

/** The example API's declarations, shipped with the package. */
export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../examples/example-api.json', import.meta.url));

/** Names the server itself uses at the top level; a resource type cannot take them. */
const RESERVED_NAMES = new Set(['healthz', 'openapi.json', 'docs', 'metrics', '_idem', 'demo-payments']);

/**
 * Load resource declarations from a JSON file or a JavaScript module exporting them (default
 * export or `config`). Everything a typo could break is checked here, at start-up, with a
 * message that names the resource and the field.
 */
export async function loadConfig(path: string = EXAMPLE_CONFIG_PATH): Promise<IdemConfig> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new Error(`Config file ${file} does not exist. --config takes a JSON file or a .js/.ts module exporting { resources: [...] }; examples/example-api.json is one.`);
  }
  let raw: unknown;
  if (extname(file) === '.json') {
    const text = await readFile(file, 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new Error(`Config file ${file} is not valid JSON: ${(error as Error).message}. Fix the file, or export the declarations from a .js/.ts module instead.`);
    }
  } else {
    raw = exportedConfig(await importModule(file));
  }
  return validateConfig(raw, file);
}

/**
 * The declarations a module exports: `config` or the default export. A CommonJS module (a .ts
 * file outside an ESM package) arrives wrapped in `default`, so unwrap one level.
 */
function exportedConfig(module: unknown): unknown {
  const m = module as { config?: unknown; default?: unknown };
  const found = m.config ?? m.default;
  const inner = found as { config?: unknown; default?: unknown; resources?: unknown } | undefined;
  return inner && inner.resources === undefined ? (inner.config ?? inner.default ?? found) : found;
}

/** Import a JavaScript module, or a TypeScript one through tsx (Node 20 cannot strip types itself). */
async function importModule(file: string): Promise<unknown> {
  if (/\.(c|m)?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

/** Check a config object's shape; throws an Error naming exactly what is wrong. */
export function validateConfig(raw: unknown, source = 'config'): IdemConfig {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  if (raw === null || typeof raw !== 'object') fail('must be an object with a "resources" array');
  const config = raw as Record<string, unknown>;
  if (!Array.isArray(config['resources']) || config['resources'].length === 0) fail('"resources" must be a non-empty array of resource declarations');
  const seen = new Set<string>();
  for (const [i, entry] of (config['resources'] as unknown[]).entries()) {
    const r = entry as Partial<ResourceDeclaration>;
    const at = `resources[${i}]${typeof r?.name === 'string' ? ` (${r.name})` : ''}`;
    if (typeof r?.name !== 'string' || !/^[a-z][a-z0-9_-]{0,62}$/.test(r.name)) fail(`${at}: "name" must be a lower-case path segment such as "orders"`);
    const name = r.name as string;
    if (RESERVED_NAMES.has(name)) fail(`${at}: "${name}" is used by the server itself; choose another name`);
    if (seen.has(name)) fail(`${at}: "${name}" is declared twice`);
    seen.add(name);
    if (r.schema === null || typeof r.schema !== 'object' || Array.isArray(r.schema)) fail(`${at}: "schema" must be a JSON Schema object`);
    if (r.idPolicy !== undefined && !['server', 'client', 'both'].includes(r.idPolicy)) fail(`${at}: "idPolicy" must be server, client or both`);
    for (const field of r.unique ?? []) {
      if (typeof field !== 'string') fail(`${at}: "unique" must list field names`);
    }
    for (const effect of r.effects ?? []) {
      if (typeof effect?.name !== 'string' || typeof effect.url !== 'string') fail(`${at}: every effect needs a "name" and a "url"`);
    }
  }
  return config as unknown as IdemConfig;
}
