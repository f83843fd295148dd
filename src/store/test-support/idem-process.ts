/**
 * Real `idem serve` processes for multi-instance tests: `node dist/cli.js serve` (so
 * `npm run build` must have run, as `npm test` does) on a free 127.0.0.1 port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, relative to this file (src/store/test-support → dist/cli.js). */
export const CLI_PATH = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** One running server process. */
export interface IdemProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  pid: number;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown, no finishing of in-flight work — a crash. Resolves when it is gone. */
  crash(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. Resolves when it is gone. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test worker that dies must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Start `idem serve --port 0 --host 127.0.0.1 …args` and wait until it listens. */
export async function startIdemProcess(args: string[]): Promise<IdemProcess> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} does not exist: run \`npm run build\` first (npm test does).`);
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`idem serve did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /idem is serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`idem serve exited before listening:\n${output}`));
    });
  });

  const kill = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    crash: () => kill('SIGKILL', 0),
    stop: () => kill('SIGTERM', 5_000),
  };
}
