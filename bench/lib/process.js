/**
 * Start, watch and stop the server processes under test. Every server is a direct `node`
 * child (never through npm/npx) so its pid is the process whose memory we sample.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { request } from 'node:http';

/**
 * A free TCP port on 127.0.0.1, found by binding port 0 and releasing it.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One HTTP request that resolves with the status (or rejects on a socket error).
 * @param {string} url
 */
function probe(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The last lines of a log file, for error messages.
 * @param {string} file
 * @param {number} lines
 */
export function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Spawn `node <args>` with output to `logFile` and wait until `readyUrl` answers any HTTP status.
 * @param {{ args: string[], cwd: string, logFile: string, readyUrl: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} opts
 * @returns {Promise<ServerProcess>}
 */
export async function startNode(opts) {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const server = new ServerProcess(child, opts.logFile);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (server.exited) {
      throw new Error(`server exited with code ${server.exitCode} before listening:\n${tail(opts.logFile)}`);
    }
    try {
      await probe(opts.readyUrl);
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`server did not answer ${opts.readyUrl} in time:\n${tail(opts.logFile)}`);
      }
      await sleep(100);
    }
  }
}

/** A running server child with its peak memory and a clean stop. */
export class ServerProcess {
  /**
   * @param {import('node:child_process').ChildProcess} child
   * @param {string} logFile
   */
  constructor(child, logFile) {
    this.child = child;
    this.pid = child.pid ?? -1;
    this.logFile = logFile;
    this.exited = false;
    /** @type {number | null} */
    this.exitCode = null;
    /** Peak resident set in bytes, sampled from /proc before the process goes away. */
    this.peakRss = 0;
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(undefined);
      });
    });
  }

  /**
   * VmHWM ("high water mark") is the kernel's peak RSS of the process over its whole life,
   * so one read just before stopping is exact; sampling RSS periodically would miss spikes.
   * @returns {number} bytes, 0 when unknown
   */
  samplePeakRss() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
      if (m?.[1]) this.peakRss = Math.max(this.peakRss, Number(m[1]) * 1024);
    } catch {
      // The process is gone; keep the last sample.
    }
    return this.peakRss;
  }

  /** SIGTERM, then SIGKILL after 5 s: the server may flush its data on a graceful stop. */
  async stop() {
    this.samplePeakRss();
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exitPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!killed && !this.exited) {
      this.child.kill('SIGKILL');
      await this.exitPromise;
    }
  }
}

/**
 * Run `node <script> <json>` to completion and parse the last stdout line as JSON. The load
 * generators run this way so they never share a CPU event loop with the bench driver.
 * @param {string} script
 * @param {unknown} spec
 * @param {{ cwd: string, timeoutMs: number, cpus?: string }} opts  cpus: run it on these cores (taskset)
 */
export function runJsonChild(script, spec, opts) {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, script, JSON.stringify(spec)];
    const [command, ...args] = opts.cpus ? ['taskset', '-c', opts.cpus, ...argv] : argv;
    const child = spawn(command, args, {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last);
        if (code !== 0) reject(new Error(parsed.error ?? `${script} exited ${code}: ${err.slice(-2000)}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`${script} exited ${code} without a JSON result: ${err.slice(-2000)} ${out.slice(-500)}`));
      }
    });
  });
}
