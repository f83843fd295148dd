#!/usr/bin/env node
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
