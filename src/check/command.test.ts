import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startExampleServer, type ExampleServer } from '../server/test-support/example-server.js';
import { checkCommand, parseHeader, parseSample } from './command.js';
import { startJsonServer, type JsonServer } from './test-support/json-server.js';
import type { CheckReport } from './types.js';

/** Run `idem check …` in process, capturing what it writes and the exit status it sets. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await checkCommand().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

let jsonServer: JsonServer;
let idem: ExampleServer;
let dir: string;

beforeAll(async () => {
  [jsonServer, idem, dir] = await Promise.all([startJsonServer({ customers: [] }), startExampleServer(), mkdtemp(join(tmpdir(), 'idem-check-cli-'))]);
});

afterAll(async () => {
  await Promise.all([jsonServer?.close(), idem?.close(), rm(dir, { recursive: true, force: true })]);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('idem check (command line)', () => {
  it('exits 1 on json-server, prints the table and summary to stdout and progress to stderr, and writes JSON and JUnit', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const jsonPath = join(dir, 'report.json');
    const junitPath = join(dir, 'report.xml');
    const sample = JSON.stringify({ name: 'Ann', age: 42, city: 'Oslo' });
    const { code, stdout, stderr } = await cli([`${jsonServer.url}/customers`, '--sample', sample, '--json', jsonPath, '--junit', junitPath]);
    expect(code).toBe(1);
    expect(stdout).toContain('✘ FAIL   MUST    if-match-stale-412');
    expect(stdout).toMatch(/FAILED — 24 checks: 12 pass, 11 fail \(3 MUST\), 1 n\/a · cleanup: \d+ of \d+ created resources deleted/);
    expect(stdout).toContain("$ curl -sS -i -X PUT");
    expect(stdout).not.toContain('\u001b[');
    expect(stderr).toContain(`idem check: checking ${jsonServer.url}/customers (server ids)`);
    expect(stderr).toContain('  fail if-match-stale-412');

    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as CheckReport;
    expect(report.summary.mustFail).toBe(3);
    const junit = await readFile(junitPath, 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="idem check" tests="24" failures="11" skipped="1"/);
    expect(junit).toContain('<failure type="MUST" message="200 for If-Match: W/&quot;');
  });

  it('exits 0 on the idem example server and redacts the Authorization header in curl commands', async () => {
    const sample = JSON.stringify({ name: 'Ann', age: 42, city: 'Oslo' });
    const { code, stdout } = await cli([`${idem.url}/customers`, '--sample', sample, '--header', 'Authorization: Bearer s3cret', '--verbose', '--no-color']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OK — 24 checks: 24 pass, 0 fail \(0 MUST\), 0 n\/a/);
    expect(stdout).toContain('-H "Authorization: $IDEM_AUTHORIZATION"');
    expect(stdout).not.toContain('s3cret');
  });

  it('exits 2 with a clear message when the sample is not JSON, or the API cannot be reached', async () => {
    const bad = await cli([`${idem.url}/customers`, '--sample', '{name: Ann}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^idem check: --sample is not valid JSON \(.+\)\. Quote it for the shell: --sample '\{"name":"Ann"\}'\.\n$/);

    const missing = await cli([`${idem.url}/customers`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('A sample document is required');

    // A port nobody listens on: the json-server's port after it is closed would race, so use port 9 (discard) on loopback.
    const unreachable = await cli(['http://127.0.0.1:9/customers', '--sample', '{"name":"Ann"}', '--timeout', '2000']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('idem check: Cannot reach http://127.0.0.1:9/customers');
  });
});

describe('argument parsing', () => {
  it('reads headers as "Name: value" and refuses anything else', () => {
    expect(parseHeader('Authorization: Bearer a:b')).toEqual(['Authorization', 'Bearer a:b']);
    expect(() => parseHeader('no colon here')).toThrow(/is not "Name: value"/);
  });

  it('takes the sample inline or from @file, and only as a JSON object', () => {
    expect(parseSample('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseSample('[1,2]')).toThrow('--sample must be a JSON object');
    expect(() => parseSample('@/nonexistent/sample.json')).toThrow(/^Cannot read the sample file \/nonexistent\/sample\.json/);
  });
});
