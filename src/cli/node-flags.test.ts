import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built CLI (dist/ is built by `npm test`) and the package manifest. */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));

/** The `#!` line of the built CLI: what `idem` and `npx idem` start node with. */
function shebang(): string {
  return readFileSync(CLI, 'utf8').split('\n', 1)[0] ?? '';
}

/** The node flags on that line: `#!/usr/bin/env -S node --a --b` → ['--a', '--b']. */
function shebangNodeFlags(): string[] {
  const match = /^#!\/usr\/bin\/env -S node((?: --[a-z-]+)*)$/.exec(shebang());
  if (!match) throw new Error(`dist/cli.js does not start with "#!/usr/bin/env -S node [--flag …]": ${shebang()}`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}

describe('the node flags idem runs with', () => {
  it('the idem command turns off V8\'s memory reducer', () => {
    expect(shebangNodeFlags()).toContain('--no-memory-reducer');
  });

  it('npm start passes the idem command\'s own flags, so the README\'s server is the installed one', () => {
    const start = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`node ${shebangNodeFlags().join(' ')} dist/cli.js serve`);
  });

  it('the #! line starts this node: env splits it, and node accepts every flag on it', () => {
    // Run exactly what the kernel runs for `./dist/cli.js --help`: the interpreter line's
    // program and its one argument (env -S splits it), then the script. A flag node does not
    // know makes node exit with "bad option" before idem starts.
    const [program, argument] = shebang().slice(2).split(/ (.*)/s);
    const run = spawnSync(program ?? '', [argument ?? '', CLI, '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PATH: `${fileURLToPath(new URL('.', `file://${process.execPath}`))}:${process.env.PATH ?? ''}` },
    });
    expect(run.stderr).not.toMatch(/bad option/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: idem');
  });
});
