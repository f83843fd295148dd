/** Peer: the hand-written Fastify + better-sqlite3 server (bench/servers/handwritten-server.js). */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, startNode } from '../lib/process.js';
import { writeIdsFile } from '../lib/ids-file.js';

const require = createRequire(import.meta.url);
const versionOf = (pkg) => require(`${pkg}/package.json`).version;

/**
 * Seed directly into SQLite in one transaction: the fastest honest route, and the same rows
 * the server would write through POST.
 * @param {string} file
 * @param {number} scale
 */
function seed(file, scale) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, body TEXT NOT NULL)`);
  const insert = db.prepare('INSERT INTO customers (id, version, created_at, updated_at, body) VALUES (?, 1, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 1; i <= scale; i++) insert.run(i, now, now, JSON.stringify({ name: `seed ${i}`, age: i % 120, city: 'Porto' }));
  })();
  db.close();
}

/** @type {import('./types.js').Peer} */
export const handwritten = {
  name: 'handwritten',
  label: 'hand-written Fastify+SQLite',
  description: 'Fastify + better-sqlite3, WAL + synchronous=FULL, JSON in a TEXT column, schema-validated writes, version ETag + If-Match',
  version: `fastify ${versionOf('fastify')}, better-sqlite3 ${versionOf('better-sqlite3')}`,
  ops: ['get', 'put', 'cond-put', 'patch', 'post'],
  async unavailable() {
    return null;
  },
  async start({ root, dir, scale }) {
    const dbFile = join(dir, 'handwritten.db');
    seed(dbFile, scale);
    const port = await freePort();
    const server = await startNode({
      args: [join(root, 'bench/servers/handwritten-server.js'), String(port), dbFile],
      cwd: root,
      logFile: join(dir, 'server.log'),
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    const idsFile = writeIdsFile(dir, scale);
    return {
      url: `http://127.0.0.1:${port}`,
      server,
      idsFile,
      patchType: 'application/merge-patch+json',
      stop: () => server.stop(),
      verify: async () => {
        const db = new Database(dbFile, { readonly: true });
        try {
          const integrity = db.pragma('integrity_check', { simple: true });
          const count = db.prepare('SELECT count(*) AS n FROM customers').get().n;
          return { count, intact: integrity === 'ok', how: `SQLite PRAGMA integrity_check = ${integrity}` };
        } finally {
          db.close();
        }
      },
    };
  },
};
