import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type RunningServer, type ServeOptions } from '../serve.js';

export interface ExampleServer extends RunningServer {
  /** The temp directory holding the SQLite files (removed by close unless dbPath was given). */
  dir: string;
}

/**
 * Start the real example API on a free 127.0.0.1 port over a fresh SQLite file: the harness
 * tests (and users' own tests) drive over a real socket.
 */
export async function startExampleServer(opts: { dbPath?: string } & Omit<ServeOptions, 'port' | 'host'> = {}): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'idem-example-'));
  const { dbPath, ...rest } = opts;
  const server = await serve({ db: `sqlite:${dbPath ?? join(dir, 'idem.db')}`, port: 0, host: '127.0.0.1', logger: false, ...rest });
  return {
    ...server,
    dir,
    close: async () => {
      try {
        await server.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
