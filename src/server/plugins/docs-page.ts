import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { consoleDir, serveFile, serveFiles } from './static-files.js';

/** swagger-ui-dist ships its files for exactly this: `getAbsoluteFSPath()` is their directory. */
function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  const getAbsoluteFSPath = require('swagger-ui-dist/absolute-path.js') as () => string;
  return getAbsoluteFSPath();
}

/**
 * The API reference page at `/docs` (SPEC §9): Swagger UI from the installed swagger-ui-dist
 * package, no CDN. The page itself (docs.html + docs.js) is idem's own, because
 * swagger-ui-dist's index.html points at the Petstore example; it loads /openapi.json with the
 * API key the visitor typed (kept in sessionStorage, shared with the console page).
 */
export function registerDocsPage(app: FastifyInstance): void {
  const pages = consoleDir();
  serveFile(app, '/docs', join(pages, 'docs.html'));
  app.get('/docs/', { config: { idemPublic: true } }, async (_request, reply) => reply.redirect('/docs', 301));
  serveFiles(app, swaggerUiDir(), '/docs/', ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png']);
  serveFiles(app, pages, '/docs/', ['docs.js', 'api-key.js', 'console.css']);
}
