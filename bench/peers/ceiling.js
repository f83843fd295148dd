/** Peer: the bare `node:http` ceiling (bench/servers/ceiling-server.js). */
import { join } from 'node:path';
import { freePort, startNode } from '../lib/process.js';
import { writeIdsFile } from '../lib/ids-file.js';

/** @type {import('./types.js').Peer} */
export const ceiling = {
  name: 'ceiling',
  label: 'node:http ceiling',
  description: 'bare node:http answering every request with a fixed JSON body — the most this machine can do',
  version: `node ${process.version}`,
  ops: ['get', 'put', 'patch', 'post'],
  async unavailable() {
    return null;
  },
  async start({ root, dir, scale }) {
    const port = await freePort();
    const server = await startNode({
      args: [join(root, 'bench/servers/ceiling-server.js'), String(port)],
      cwd: root,
      logFile: join(dir, 'server.log'),
      readyUrl: `http://127.0.0.1:${port}/`,
    });
    const idsFile = writeIdsFile(dir, scale);
    return {
      url: `http://127.0.0.1:${port}`,
      server,
      idsFile,
      patchType: 'application/merge-patch+json',
      stop: () => server.stop(),
      verify: async () => null,
    };
  },
};
