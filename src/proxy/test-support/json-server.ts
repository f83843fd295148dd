import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForHttp } from './free-port.js';

/** A json-server 0.17.4 child process over a temp db.json: an upstream with no idempotency at all. */
export interface JsonServer {
  url: string;
  /** How many records a collection holds, read from json-server itself. */
  count(collection: string): Promise<number>;
  close(): Promise<void>;
}

const BIN = resolve('node_modules/json-server/lib/cli/bin.js');

/** Start json-server with the given collections; `delayMs` delays every request before it is handled. */
export async function startJsonServer(collections: Record<string, unknown[]>, delayMs?: number): Promise<JsonServer> {
  const dir = mkdtempSync(join(tmpdir(), 'idem-json-server-'));
  writeFileSync(join(dir, 'db.json'), JSON.stringify(collections));
  const port = await freePort();
  const args = [BIN, '--port', String(port), '--host', '127.0.0.1', '--quiet', ...(delayMs ? ['--delay', String(delayMs)] : []), 'db.json'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/db`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`json-server did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    async count(collection) {
      const res = await fetch(`${url}/${collection}`);
      return ((await res.json()) as unknown[]).length;
    },
    async close() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
