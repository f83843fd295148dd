/**
 * How to run this build's `idem` command: `node [flags] dist/cli.js`, with the node flags of
 * the command's own `#!/usr/bin/env -S node …` line, so every idem process of the bench runs
 * the way an installed `idem` (and `npm start`) does. Those flags change how fast idem serves
 * (bench/README.md, "GET after an idle spell"), so a bench that left them out would measure
 * a server nobody runs. A build without flags on that line runs as plain `node dist/cli.js`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The node flags on the first line of a script: `#!/usr/bin/env -S node --a --b` → ['--a', '--b'].
 * @param {string} file
 * @returns {string[]}
 */
export function shebangNodeFlags(file) {
  const firstLine = readFileSync(file, 'utf8').split('\n', 1)[0];
  const match = /^#!\s*\/usr\/bin\/env\s+-S\s+node\s+(.*)$/.exec(firstLine);
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * Arguments for `process.execPath` that run `idem` from a checkout: its node flags, then the CLI.
 * @param {string} root  checkout with a built dist/
 * @returns {string[]}
 */
export function idemCommand(root) {
  const cli = join(root, 'dist/cli.js');
  return [...shebangNodeFlags(cli), cli];
}
