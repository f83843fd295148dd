import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForHttp } from './free-port.js';

/** The proxy compiled to JavaScript in a temp dir, so a test can run it as a real process. */
export interface CompiledProxy {
  /** Path of the standalone entry (`bin.js`, the same command as `idem proxy`). */
  bin: string;
  dispose(): void;
}

/**
 * Compile `src/proxy/bin.ts` and what it imports with the project's own tsc into a temp dir
 * (no shared dist/ is touched). The dir gets a `node_modules` link and `"type": "module"` so
 * the output runs as it would from dist/.
 */
export async function compileProxy(): Promise<CompiledProxy> {
  const root = resolve('.');
  const dir = mkdtempSync(join(tmpdir(), 'idem-proxy-build-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const config = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { outDir: join(dir, 'out'), rootDir: join(root, 'src'), typeRoots: [join(root, 'node_modules/@types')], declaration: false, sourceMap: false },
    // open-store.ts loads the PostgreSQL store by a computed import: name it so it is compiled too.
    files: [join(root, 'src/proxy/bin.ts'), join(root, 'src/store/postgres.ts')],
    include: [],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  try {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
  } catch (error) {
    const e = error as { stdout?: string; message: string };
    throw new Error(`compiling the proxy failed: ${e.stdout ?? e.message}`);
  }
  return { bin: join(dir, 'out/proxy/bin.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A proxy running as a child process. */
export interface ProxyProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** SIGKILL it (no cleanup, like a crash or an OOM kill) and wait until it is gone. */
  kill(): Promise<void>;
}

/** Start `node bin.js --port <free> …args` and wait until it answers. */
export async function spawnProxy(bin: string, args: string[]): Promise<ProxyProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, '--port', String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, 'SIGKILL');
    await exited;
  };
  try {
    await waitForHttp(`${url}/__idem_proxy_probe`);
  } catch (error) {
    await kill();
    throw new Error(`the proxy process did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { url, child, stderr: () => stderr, kill };
}
