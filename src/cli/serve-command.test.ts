import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** The built CLI (dist/ is built by `npm test`). */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `idem serve ARGS` in an empty directory of its own; a server that starts is killed after 15 s. */
function serve(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'idem-cli-'));
  dirs.push(cwd);
  const env = { ...process.env };
  delete env['PORT'];
  delete env['DATABASE_URL'];
  const run = spawnSync(process.execPath, [CLI, 'serve', ...args], { cwd, encoding: 'utf8', timeout: 15_000, env });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, files: readdirSync(cwd) };
}

describe('idem serve refuses bad options before it starts', () => {
  it('a port outside 0..65535 is refused with the range', () => {
    const run = serve('--port', '99999');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--port .*'99999' is invalid\. use a port number from 0 to 65535/);
    expect(run.stdout).not.toMatch(/serving/);
  });

  it('a body limit of 0 is refused, since it would refuse every body', () => {
    const run = serve('--port', '0', '--body-limit', '0');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--body-limit .*'0' is invalid\. use a size above 0/);
  });

  it('durations that would undo a guarantee are refused with the reason', () => {
    const ttl = serve('--port', '0', '--idempotency-ttl', '0');
    expect(ttl.status).toBe(1);
    expect(ttl.stderr).toMatch(/--idempotency-ttl .*'0' is invalid\. use at least 1s: a retry after the key is gone runs the request again/);
    const lease = serve('--port', '0', '--effect-lease', '200ms');
    expect(lease.status).toBe(1);
    expect(lease.stderr).toMatch(/--effect-lease .*use at least 1s: a delivery still under way would be claimed and sent again/);
    const retry = serve('--port', '0', '--effect-retry', 'soon');
    expect(retry.status).toBe(1);
    expect(retry.stderr).toMatch(/--effect-retry .*"soon" is not a duration: write e\.g\. 500ms, 30s/);
  });

  it('a database URL of a scheme idem does not know is refused, and no file is made from it', () => {
    // Taken for a path, `postgress://db/app` (a typo) would be a new SQLite file under ./postgress:/.
    for (const url of ['postgress://app@db/idem', 'mysql://app@db/idem']) {
      const run = serve('--port', '0', '--db', url);
      expect(run.status, url).toBe(1);
      expect(run.stderr, url).toMatch(/idem: Database URL .*does not know the scheme \w+:\. Use sqlite:PATH or a plain path .* or postgres:\/\/user@host\/db/);
      expect(run.stdout, url).not.toMatch(/serving/);
      expect(run.files, url).toEqual([]);
    }
  });
});
