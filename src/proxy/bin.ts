#!/usr/bin/env node
/**
 * Standalone entry: `node dist/proxy/bin.js --target …` runs the same command as
 * `idem proxy --target …` (used by tests that must SIGKILL a proxy process).
 */
import { proxyCommand } from './command.js';

await proxyCommand().parseAsync(process.argv);
