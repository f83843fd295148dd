import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running json-server 0.17.4 child process. */
export interface JsonServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  pid: number;
  /** The db.json file it serves (and writes every change to). */
  dbPath: string;
  /** The current content of db.json. */
  readDb(): Promise<Record<string, unknown[]>>;
  /** Kill the process (by pid) and delete its temp directory. */
  close(): Promise<void>;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function binPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('json-server/package.json')), 'lib/cli/bin.js');
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`json-server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`json-server did not answer ${url} within 20 s:\n${output()}`);
}

/**
 * Start the json-server dev dependency as a child process on a free 127.0.0.1 port, over a
 * temp db.json with `db` in it. A real, popular REST mock, used as the "ordinary API" the
 * checker must judge correctly.
 */
export async function startJsonServer(db: Record<string, unknown[]>): Promise<JsonServer> {
  const dir = await mkdtemp(join(tmpdir(), 'idem-check-json-server-'));
  const dbPath = join(dir, 'db.json');
  await writeFile(dbPath, JSON.stringify(db));
  const port = await freePort();
  const child = spawn(process.execPath, [binPath(), dbPath, '--port', String(port), '--host', '127.0.0.1', '--quiet'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pid = child.pid;
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (pid === undefined) throw new Error(`json-server did not start:\n${output}`);
    await waitUntilServing(`${url}/db`, child, () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url,
    pid: pid as number,
    dbPath,
    readDb: async () => JSON.parse(await readFile(dbPath, 'utf8')) as Record<string, unknown[]>,
    close,
  };
}
