import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { TransportError } from './http.js';
import { toJunitXml } from './junit.js';
import { OpenApiError } from './openapi.js';
import { renderProgress, renderReport, wantsColor } from './render-table.js';
import { CheckUsageError, runCheck } from './run-check.js';
import type { RunCheckOptions } from './types.js';

/** Exit status when any MUST check failed. */
export const EXIT_MUST_FAILED = 1;
/** Exit status when the check could not run (bad options, API unreachable). */
export const EXIT_CANNOT_RUN = 2;

/** Options as commander hands them over. */
interface CheckFlags {
  sample?: string;
  idField: string;
  clientIds?: boolean;
  header: string[];
  openapi?: string;
  only?: string[];
  json?: string;
  junit?: string;
  timeout: number;
  concurrency: number;
  verbose?: boolean;
  color: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** `Name: value` → [name, value]; the field syntax of RFC 9110 §5. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new CheckUsageError(`--header "${text}" is not "Name: value" (for example --header 'Authorization: Bearer s3cret').`);
  }
  return [name, text.slice(colon + 1).trim()];
}

/** The sample from `--sample`: inline JSON, or `@path` to read a file. */
export function parseSample(text: string): Record<string, unknown> {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new CheckUsageError(`Cannot read the sample file ${text.slice(1)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new CheckUsageError(`--sample is not valid JSON (${error instanceof Error ? error.message : String(error)}). Quote it for the shell: --sample '{"name":"Ann"}'.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CheckUsageError('--sample must be a JSON object: one document of the collection, e.g. \'{"name":"Ann"}\'.');
  }
  return parsed as Record<string, unknown>;
}

async function run(url: string, flags: CheckFlags): Promise<number> {
  const stderrColor = flags.color && wantsColor(process.stderr);
  const stdoutColor = flags.color && wantsColor(process.stdout);
  const options: RunCheckOptions = {
    url,
    idField: flags.idField,
    clientIds: flags.clientIds === true,
    headers: Object.fromEntries(flags.header.map(parseHeader)),
    timeoutMs: flags.timeout,
    concurrency: flags.concurrency,
    onProgress: (event) => process.stderr.write(`${renderProgress(event, stderrColor)}\n`),
  };
  if (flags.sample !== undefined) options.sample = parseSample(flags.sample);
  if (flags.openapi !== undefined) options.openapi = flags.openapi;
  if (flags.only !== undefined) options.only = flags.only;

  const report = await runCheck(options);
  process.stdout.write(renderReport(report, { color: stdoutColor, width: process.stdout.columns ?? 120, verbose: flags.verbose === true }));
  if (flags.json !== undefined) await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.junit !== undefined) await writeFile(flags.junit, toJunitXml(report));
  return report.ok ? 0 : EXIT_MUST_FAILED;
}

/**
 * The `idem check` command, for `program.addCommand(checkCommand())` in cli.ts. Exit status:
 * 0 when no MUST check failed, 1 when one did, 2 when the check could not run.
 */
export function checkCommand(): Command {
  return new Command('check')
    .description('Probe a live HTTP API and report, contract by contract, where its write methods break HTTP semantics.')
    .argument('<url>', 'the collection URL (e.g. http://127.0.0.1:3000/customers); with --openapi, the API base URL')
    .option('-s, --sample <json>', 'a JSON document the collection accepts (or @file.json)')
    .option('--id-field <name>', 'the id field of representations', 'id')
    .option('--client-ids', 'clients choose ids: PUT {collection}/{id} creates')
    .option('-H, --header <header>', "a header sent on every request, 'Name: value' (repeatable)", collect, [])
    .option('--openapi <file-or-url>', 'find collections and build samples from an OpenAPI 3 document (JSON)')
    .option('--only <paths...>', 'with --openapi: only these collection paths (e.g. /customers)')
    .option('--json <file>', 'also write the report as JSON')
    .option('--junit <file>', 'also write the report as JUnit XML')
    .option('--timeout <ms>', 'per-request timeout', positiveInt, 10_000)
    .option('--concurrency <n>', 'requests sent at once by the concurrent Idempotency-Key check', positiveInt, 5)
    .option('-v, --verbose', 'show evidence and curl for passing checks too')
    .option('--no-color', 'plain output (NO_COLOR is honoured too)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  idem check http://127.0.0.1:3000/customers --sample '{"name":"Ann","age":42,"city":"Oslo"}'`,
        `  idem check http://127.0.0.1:3000/flights --client-ids --sample '{"status":"ontime","gate":"B12"}'`,
        '  idem check http://127.0.0.1:3000 --openapi http://127.0.0.1:3000/openapi.json --junit check.xml',
        '',
        'Exit status: 0 no MUST check failed · 1 a MUST check failed · 2 the check could not run.',
        'The checker creates, changes and deletes documents: point it at a test or staging API.',
      ].join('\n'),
    )
    .action(async (url: string, flags: CheckFlags) => {
      try {
        process.exitCode = await run(url, flags);
      } catch (error) {
        if (!(error instanceof CheckUsageError || error instanceof OpenApiError || error instanceof TransportError)) throw error;
        process.stderr.write(`idem check: ${error.message}\n`);
        process.exitCode = EXIT_CANNOT_RUN;
      }
    });
}
