import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { completeReadOnlyRoute } from './fixed-route-methods.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * Same-origin scripts and styles only: the pages load nothing from a CDN and run no inline
 * script. Swagger UI sets inline styles, and shows data: images, hence those two allowances.
 */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Serve one file at one URL. Only listed files become routes, so no request path can reach
 * any other file (no traversal); each file is read once and kept in memory. Static page
 * files hold no data, so they are public (see public-routes.ts).
 */
export function serveFile(app: FastifyInstance, url: string, file: string): void {
  let cached: Buffer | undefined;
  app.get(url, { config: { idemPublic: true }, exposeHeadRoute: true }, async (_request, reply) => {
    cached ??= await readFile(file);
    return reply
      .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', PAGE_CSP)
      .send(cached);
  });
  completeReadOnlyRoute(app, url, { idemPublic: true });
}

/** Serve several files of one directory under `urlPrefix`. */
export function serveFiles(app: FastifyInstance, dir: string, urlPrefix: string, names: readonly string[]): void {
  for (const name of names) serveFile(app, `${urlPrefix}${name}`, join(dir, name));
}

/**
 * The directory of the console and docs page files. They are not TypeScript, so `npm run
 * build` does not copy them into dist/: from source (tests, tsx) they sit next to this folder,
 * from dist/server/plugins/ they are found in the package's src/server/console/.
 */
export function consoleDir(): string {
  const candidates = [new URL('../console/', import.meta.url), new URL('../../../src/server/console/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined) throw new Error(`idem: the console page files are missing (looked in ${candidates.join(' and ')}).`);
  return found;
}
