import { Command, Option } from 'commander';
import type { DispatcherOptions } from '../engine/effects-dispatcher.js';
import { checkAccessAtStartup } from '../server/auth/startup-check.js';
import { parseCorsOrigins } from '../server/plugins/cors.js';
import { MIN_RETENTION_MS, SHORT_RETENTION_BREAKS } from '../idempotency/policy.js';
import { DEFAULT_DB, serve } from '../server/serve.js';
import { parseDurationAtLeast, parsePort, parsePositiveBytes, parseWhole } from './parse-options.js';

interface ServeFlags {
  port: number;
  host: string;
  db: string;
  config?: string;
  bodyLimit?: number;
  idempotencyTtl?: number;
  historyLimit?: number;
  logLevel: string;
  paymentsDb?: string;
  keys?: string;
  insecureOpen?: boolean;
  cors?: string[];
  rateLimit?: number;
  effectRetry?: number;
  effectLease?: number;
}

/** `idem serve`: the example API, or your own declarations, over HTTP. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the declared resource types as a REST API (the example API by default)')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default(3000).argParser(parsePort))
    .addOption(new Option('--host <host>', 'address to bind').default('127.0.0.1'))
    .addOption(new Option('--db <url>', 'sqlite:PATH or postgres://…').env('DATABASE_URL').default(DEFAULT_DB))
    .option('-c, --config <file>', 'resource declarations: a .json file or a .js module (default: the example API)')
    .option('--body-limit <size>', 'largest request body, e.g. 1mb', parsePositiveBytes)
    .option('--idempotency-ttl <duration>', 'how long Idempotency-Key outcomes are kept, e.g. 24h', parseDurationAtLeast(MIN_RETENTION_MS, SHORT_RETENTION_BREAKS))
    .option('--history-limit <n>', 'keep only the newest N versions per resource', parseWhole(1))
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'))
    .option('--payments-db <path>', 'SQLite file of the demo payment service')
    .option('--keys <file>', 'API keys file: one name:secret:role per line (or IDEM_API_KEYS)')
    .option('--insecure-open', 'allow running without API keys on a non-loopback address')
    .option('--cors <origins...>', 'allow browser clients from these origins')
    .option('--rate-limit <n>', 'requests per principal per minute (0: off)', parseWhole(0))
    .option('--effect-retry <duration>', 'first retry delay of a failed effect delivery (doubles per attempt)', parseDurationAtLeast(1, 'a delay of 0 doubles to 0 and retries a failing service without pause'))
    .option('--effect-lease <duration>', 'how long a claimed delivery is reserved before another dispatcher may retry it (default 30s)', parseDurationAtLeast(1000, 'a delivery still under way would be claimed and sent again'))
    .action(async (flags: ServeFlags) => {
      const apiKeys = process.env['IDEM_API_KEYS'];
      const access = checkAccessAtStartup({ host: flags.host, apiKeys, keysFile: flags.keys, insecureOpen: flags.insecureOpen });
      if (!access.ok) {
        process.stderr.write(`${access.message}\n`);
        process.exit(1);
      }
      const server = await serve({
        port: flags.port,
        host: flags.host,
        db: flags.db,
        logger: flags.logLevel === 'silent' ? false : { level: flags.logLevel },
        ...(flags.config !== undefined && { configPath: flags.config }),
        ...(flags.bodyLimit !== undefined && { bodyLimit: flags.bodyLimit }),
        ...(flags.idempotencyTtl !== undefined && { idempotencyTtlMs: flags.idempotencyTtl }),
        ...(flags.historyLimit !== undefined && { historyLimit: flags.historyLimit }),
        ...(flags.paymentsDb !== undefined && { paymentsDb: flags.paymentsDb }),
        effects: effectOptions(flags),
        apiKeys,
        keysFile: flags.keys,
        insecureOpen: flags.insecureOpen,
        corsOrigins: parseCorsOrigins(flags.cors),
        rateLimitPerMinute: flags.rateLimit,
      });
      const names = server.config.resources.map((r) => `/${r.name}`).join(', ');
      process.stdout.write(
        [
          `idem is serving ${server.url}`,
          `  resources: ${names}`,
          `  database:  ${server.databaseDescription}`,
          `  docs:      ${server.url}/docs   OpenAPI: ${server.url}/openapi.json   console: ${server.url}/`,
          ...(access.notice ? [access.notice] : []),
          '',
        ].join('\n'),
      );
      const shutdown = (signal: string) => {
        process.stdout.write(`${signal}: finishing in-flight requests, then stopping.\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}

/** Delivery tuning from flags; a delivery times out at half its lease so a lease never lapses mid-delivery. */
function effectOptions(flags: ServeFlags): DispatcherOptions {
  const options: DispatcherOptions = {};
  if (flags.effectRetry !== undefined) {
    options.retryBaseMs = flags.effectRetry;
    options.pollMs = Math.min(1000, flags.effectRetry);
  }
  if (flags.effectLease !== undefined) {
    options.leaseMs = flags.effectLease;
    options.timeoutMs = Math.max(1, Math.floor(flags.effectLease / 2));
  }
  return options;
}
