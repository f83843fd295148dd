import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { consoleDir, serveFile, serveFiles } from './static-files.js';

/**
 * The console page at `/` (static HTML and JS from src/server/console/): resource types with
 * counts, a resource's history with a diff between versions, and recent idempotency keys. The
 * files hold no data; the page fetches it from `/_idem/…` (admin-api.ts) with the API key the
 * visitor types.
 */
export function registerConsolePage(app: FastifyInstance): void {
  const dir = consoleDir();
  serveFile(app, '/', join(dir, 'index.html'));
  // Under /_idem/ (reserved by idem) so no resource type name can collide with the assets.
  serveFiles(app, dir, '/_idem/console/', ['console.js', 'api-key.js', 'diff.js', 'console.css']);
}
