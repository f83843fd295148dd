#!/usr/bin/env -S node --no-memory-reducer
// --no-memory-reducer: after a few seconds idle, V8's memory reducer runs compacting collections
// that left the process serving GETs ~17% slower through all the load that followed (measured:
// 38k against 46k req/s, bench/README.md "GET after an idle spell"). V8 reads the flag only when
// the heap is created, so it goes here, on the line `idem` and `npx idem` start node with, and in
// package.json's `start` script (src/cli/node-flags.test.ts keeps the two the same).
// First: heap limits for a long-running process, before anything else allocates (heap-settings.ts).
import './cli/heap-settings.js';
import { Command } from 'commander';
import { checkCommand } from './check/command.js';
import { serveCommand } from './cli/serve-command.js';
import { proxyCommand } from './proxy/command.js';

/** `idem serve | proxy | check`: one binary, one subcommand per face of the toolkit. */
const program = new Command('idem')
  .description('HTTP APIs whose writes are safe to retry and never silently lose data')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(proxyCommand())
  .addCommand(checkCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`idem: ${(error as Error).message}\n`);
  process.exit(1);
});
