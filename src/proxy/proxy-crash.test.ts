import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { compileProxy, spawnProxy, type CompiledProxy, type ProxyProcess } from './test-support/proxy-process.js';
import { json, startScriptedUpstream, type ScriptedUpstream } from './test-support/scripted-upstream.js';
import { tempDb } from './test-support/temp-store.js';

/**
 * A proxy process SIGKILLed while its request is upstream leaves a `running` claim behind. The
 * lease bounds how long that claim blocks the key; after it the key is `unknown` (the request
 * may have reached the upstream), and the operator command resolves it.
 */
const db = tempDb();
let build: CompiledProxy;
let upstream: ScriptedUpstream;
const procs: ProxyProcess[] = [];
const LEASE_MS = 4000;

beforeAll(async () => {
  build = await compileProxy();
  // The first POST hangs (the proxy dies while waiting); later ones are answered.
  upstream = await startScriptedUpstream((req, res) => {
    if (req.method !== 'POST') return json(res, 404, {});
    if (posts().length > 1) json(res, 201, { id: posts().length });
  });
});

afterAll(async () => {
  for (const p of procs) await p.kill();
  await upstream?.close();
  build?.dispose();
  db.dispose();
});

async function proxyProcess(): Promise<ProxyProcess> {
  const p = await spawnProxy(build.bin, ['--target', upstream.url, '--db', db.dbUrl, '--timeout', '1s', '--lease', `${LEASE_MS}ms`]);
  procs.push(p);
  return p;
}

const posts = () => upstream.received.filter((r) => r.method === 'POST');

function post(url: string): Promise<Response> {
  return fetch(`${url}/transfers`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': '"k-crash"' }, body: '{"amount":100}' });
}

describe('idem proxy killed mid-request', () => {
  it('leaves no key stuck in flight forever: 409 in flight within the lease, then unknown, then resolvable from the CLI', async () => {
    const first = await proxyProcess();
    const lost = post(first.url).catch((error: Error) => error);
    const claimedBy = Date.now();
    while (posts().length === 0) await new Promise((r) => setTimeout(r, 20));
    await first.kill();
    expect(await lost).toBeInstanceOf(Error); // the client saw the connection die

    const store = await openSqliteStore(db.path);
    const record = await store.getIdempotency('anonymous', 'k-crash');
    await store.close();
    expect(record?.state).toBe('running');

    const second = await proxyProcess();
    if (Date.now() < claimedBy + LEASE_MS - 500) {
      // Within the lease the dead proxy's claim still counts: the retry is told to wait.
      const early = await post(second.url);
      expect(early.status).toBe(409);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(((await early.json()) as { type: string }).type).toBe('https://idem.dev/problems/idempotency-in-flight');
    }
    await new Promise((r) => setTimeout(r, Math.max(0, (record?.leaseUntil ?? 0) - Date.now() + 100)));
    const after = await post(second.url);
    expect(after.status).toBe(409);
    const problem = (await after.json()) as { type: string; outcome: string };
    expect(problem.type).toBe('https://idem.dev/problems/idempotency-outcome-unknown');
    expect(problem.outcome).toBe('unknown');
    expect(posts()).toHaveLength(1); // nothing was sent twice

    const listed = await promisify(execFile)(process.execPath, [build.bin, 'resolve', '--list', '--db', db.dbUrl]);
    expect(listed.stdout).toContain('"key":"k-crash"');
    expect(listed.stdout).toContain('"state":"unknown"');
    const resolved = await promisify(execFile)(process.execPath, [build.bin, 'resolve', 'k-crash', '--release', '--db', db.dbUrl]);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ key: 'k-crash', was: 'unknown', now: 'released' });

    const retried = await post(second.url);
    expect(retried.status).toBe(201);
    expect(posts()).toHaveLength(2);
  });

  it('the CLI refuses to start without --target, and resolve refuses an unknown key, with a message saying what to do', async () => {
    const noTarget = await promisify(execFile)(process.execPath, [build.bin, '--port', '0']).catch((e: { code: number; stderr: string }) => e);
    expect((noTarget as { code: number }).code).toBe(2);
    expect((noTarget as { stderr: string }).stderr).toMatch(/--target <url> is required/);
    const missing = await promisify(execFile)(process.execPath, [build.bin, 'resolve', 'no-such-key', '--release', '--db', db.dbUrl]).catch((e: { code: number; stderr: string }) => e);
    expect((missing as { code: number }).code).toBe(1);
    expect((missing as { stderr: string }).stderr).toMatch(/No record for Idempotency-Key "no-such-key"/);
  });
});
