/**
 * Peers: json-server 0.17.4 (dev dependency) and json-server 1.0.0-beta.15 (installed by the
 * bench into the git-ignored bench/.peers). Both keep the whole db.json in memory and rewrite
 * the file on every write; neither supports If-Match or Idempotency-Key.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort, startNode } from '../lib/process.js';
import { writeIdsFile } from '../lib/ids-file.js';

export const BETA_VERSION = '1.0.0-beta.15';

/**
 * Write db.json with `scale` customers. 0.17 assigns numeric ids (max + 1) so it gets numbers;
 * 1.0 uses string ids.
 * @param {string} file
 * @param {number} scale
 * @param {boolean} numericIds
 */
function seed(file, scale, numericIds) {
  const customers = Array.from({ length: scale }, (_, k) => ({
    id: numericIds ? k + 1 : String(k + 1),
    name: `seed ${k + 1}`,
    age: (k + 1) % 120,
    city: 'Porto',
  }));
  writeFileSync(file, JSON.stringify({ customers }, null, 2));
  return customers.map((c) => c.id);
}

/**
 * After stop: the file must still parse and hold every customer.
 * @param {string} file
 */
function verifyDbJson(file) {
  try {
    const db = JSON.parse(readFileSync(file, 'utf8'));
    const count = Array.isArray(db.customers) ? db.customers.length : null;
    return { count, intact: count !== null, how: 'db.json parses as JSON with a customers array' };
  } catch (err) {
    return { count: null, intact: false, how: `db.json does not parse: ${String(err).slice(0, 200)}` };
  }
}

/**
 * Build one json-server peer.
 * @param {{ name: string, label: string, version: string, bin: (root: string) => string, numericIds: boolean, extraArgs: string[] }} o
 * @returns {import('./types.js').Peer}
 */
function jsonServerPeer(o) {
  return {
    name: o.name,
    label: o.label,
    description: `json-server ${o.version}: whole database in memory, db.json rewritten on each write`,
    version: o.version,
    ops: ['get', 'put', 'patch', 'post'],
    async unavailable({ root }) {
      return existsSync(o.bin(root)) ? null : `${o.bin(root)} not found`;
    },
    async start({ root, dir, scale }) {
      const dbFile = join(dir, 'db.json');
      const ids = seed(dbFile, scale, o.numericIds);
      const idsFile = writeIdsFile(dir, ids);
      const port = await freePort();
      const server = await startNode({
        args: [o.bin(root), '--port', String(port), ...o.extraArgs, dbFile],
        cwd: dir,
        logFile: join(dir, 'server.log'),
        readyUrl: `http://127.0.0.1:${port}/customers/1`,
      });
      return {
        url: `http://127.0.0.1:${port}`,
        server,
        idsFile,
        // 0.17's body parser only reads application/json; a merge-patch body would be ignored.
        patchType: 'application/json',
        stop: () => server.stop(),
        verify: async () => verifyDbJson(dbFile),
      };
    },
  };
}

export const jsonServer017 = jsonServerPeer({
  name: 'json-server-0.17',
  label: 'json-server 0.17.4',
  version: '0.17.4',
  bin: (root) => join(root, 'node_modules/json-server/lib/cli/bin.js'),
  numericIds: true,
  extraArgs: ['--host', '127.0.0.1', '--quiet'],
});

export const jsonServer1 = {
  ...jsonServerPeer({
    name: 'json-server-1',
    label: `json-server ${BETA_VERSION}`,
    version: BETA_VERSION,
    bin: (root) => join(root, 'bench/.peers/node_modules/json-server/lib/bin.js'),
    numericIds: false,
    extraArgs: ['--host', '127.0.0.1'],
  }),
  /** Install the exact beta into bench/.peers when absent (it declares Node >= 22.12; we try anyway). */
  async unavailable({ root }) {
    const prefix = join(root, 'bench/.peers');
    const bin = join(prefix, 'node_modules/json-server/lib/bin.js');
    const pkg = join(prefix, 'node_modules/json-server/package.json');
    const installed = existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === BETA_VERSION;
    if (!installed) {
      process.stdout.write(`installing json-server@${BETA_VERSION} into bench/.peers …\n`);
      const r = spawnSync('npm', ['install', '--prefix', prefix, `json-server@${BETA_VERSION}`, '--no-audit', '--no-fund'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (r.status !== 0) return `npm install json-server@${BETA_VERSION} failed: ${(r.stderr ?? '').slice(-400)}`;
      // Keep the installed peer out of git without touching the root .gitignore.
      writeFileSync(join(prefix, '.gitignore'), '*\n');
    }
    if (!existsSync(bin)) return `${bin} not found after install`;
    // It declares a newer Node than this machine may have; it is run anyway and the report says so.
    const engines = JSON.parse(readFileSync(pkg, 'utf8')).engines?.node;
    if (engines) this.description = `${this.description} (declares node ${engines}; run here on Node ${process.version})`;
    return null;
  },
};
