import { Command } from 'commander';
import { parseBytes, parseDuration } from '../cli/units.js';
import { startProxy } from './index.js';
import { DEFAULT_DB, openDb } from './open-db.js';
import { principalOf } from './principal.js';
import { resolveKey, type ResolveAction } from './resolve.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `idem proxy --target URL [--port N] [--db sqlite:PATH|postgres://…] …` and
 * `idem proxy resolve <key> (--replay-status N | --release)`. See docs/PROXY.md.
 */
export function proxyCommand(): Command {
  const proxy = new Command('proxy')
    .description('Put Idempotency-Key semantics in front of an HTTP API that has none (docs/PROXY.md).')
    .option('--target <url>', 'base URL of the upstream API, e.g. http://127.0.0.1:8080 (required)')
    .option('--port <n>', 'port to listen on', '4020')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--db <url>', 'key store: sqlite:PATH or postgres://… (shared by several proxies)', DEFAULT_DB)
    .option('--guard <rule>', 'guarded route "METHOD /pattern" (* = one segment, ** = the rest); repeatable; default "POST /**" and "PATCH /**"', collect, [])
    .option('--require-key <rule>', 'route where a request without Idempotency-Key is 400; repeatable', collect, [])
    .option('--timeout <duration>', 'wait this long for the whole upstream answer', '30s')
    .option('--lease <duration>', 'a claim older than this counts as abandoned (default: timeout + 30s)')
    .option('--retention <duration>', 'keep keys this long', '24h')
    .option('--body-limit <size>', 'largest request body with a key', '1mb')
    .option('--store-cap <size>', 'largest response body stored for replay', '1mb')
    .option('--release-unknown-after <duration>', 'release keys with an unknown outcome after this long (default: never, an operator resolves them)')
    .action(async (opts: Record<string, string | string[] | undefined>) => {
      if (typeof opts.target !== 'string') proxy.error('error: --target <url> is required, e.g. idem proxy --target http://127.0.0.1:8080', { exitCode: 2 });
      const str = (name: string): string | undefined => (typeof opts[name] === 'string' ? (opts[name] as string) : undefined);
      let running: Awaited<ReturnType<typeof startProxy>>;
      try {
        const lease = str('lease');
        const releaseAfter = str('releaseUnknownAfter');
        running = await startProxy({
          target: str('target') as string,
          port: Number(str('port')),
          host: str('host') as string,
          db: str('db') as string,
          guard: opts.guard as string[],
          requireKey: opts.requireKey as string[],
          timeoutMs: parseDuration(str('timeout') as string, '--timeout'),
          ...(lease === undefined ? {} : { leaseMs: parseDuration(lease, '--lease') }),
          retentionMs: parseDuration(str('retention') as string, '--retention'),
          bodyLimit: parseBytes(str('bodyLimit') as string, '--body-limit'),
          storeCap: parseBytes(str('storeCap') as string, '--store-cap'),
          releaseUnknownAfterMs: releaseAfter === undefined ? undefined : parseDuration(releaseAfter, '--release-unknown-after'),
          log: (line) => console.error(line),
        });
      } catch (error) {
        proxy.error(`error: ${(error as Error).message}`, { exitCode: 2 });
      }
      const stop = (): void => {
        running.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  proxy.addCommand(resolveCommand());
  return proxy;
}

function resolveCommand(): Command {
  const cmd = new Command('resolve')
    .description('Decide the outcome of a key the proxy marked unknown: replay a status, or release the key.')
    .argument('[key]', 'the Idempotency-Key value (without quotes)')
    .option('--db <url>', 'key store: sqlite:PATH or postgres://…', DEFAULT_DB)
    .option('--authorization <value>', 'the Authorization header the client sent (its hash is the key scope)')
    .option('--principal <id>', 'the scope as stored (default "anonymous")')
    .option('--replay-status <n>', 'the request took effect: replay this status to every retry')
    .option('--replay-body <text>', 'body to replay with --replay-status', '')
    .option('--replay-header <field>', '"Name: value" header to replay; repeatable', collect, [])
    .option('--release', 'the request did not take effect: release the key so a retry runs again')
    .option('--force', 'also overwrite a key that is done or still in flight')
    .option('--list', 'list keys that are unknown or in flight')
    .action(async (key: string | undefined, opts: Record<string, unknown>) => {
      const store = await openDb(dbUrl(cmd)).catch((error: Error) => cmd.error(`error: ${error.message}`, { exitCode: 2 }));
      try {
        if (opts.list) {
          const open = (await store.listIdempotency(1000)).filter((r) => r.state !== 'done');
          for (const r of open) console.log(JSON.stringify({ key: r.key, principal: r.principal, state: r.state, since: new Date(r.createdAt).toISOString() }));
          return;
        }
        if (key === undefined) return cmd.error('error: name the key to resolve, or pass --list', { exitCode: 2 });
        const action = resolveAction(cmd, opts);
        const principal = typeof opts.principal === 'string' ? opts.principal : principalOf(opts.authorization as string | undefined);
        const { before, after } = await resolveKey(store, principal, key, action, { force: opts.force === true });
        console.log(JSON.stringify({ key, principal, was: before.state, now: after ? `done (${after.response?.status})` : 'released' }));
      } catch (error) {
        cmd.error(`error: ${(error as Error).message}`, { exitCode: 1 });
      } finally {
        await store.close();
      }
    });
  return cmd;
}

/**
 * `idem proxy resolve --db X`: depending on how the root program parses, commander may hand a
 * --db written after `resolve` to the parent `proxy` command (which has --db too). Whichever
 * command actually got it from the command line wins.
 */
function dbUrl(cmd: Command): string {
  const parent = cmd.parent;
  if (cmd.getOptionValueSource('db') !== 'cli' && parent?.getOptionValueSource('db') === 'cli') return String(parent.opts().db);
  return String(cmd.opts().db);
}

function resolveAction(cmd: Command, opts: Record<string, unknown>): ResolveAction {
  const status = opts.replayStatus;
  if ((status === undefined) === (opts.release !== true)) cmd.error('error: pass exactly one of --replay-status <n> or --release', { exitCode: 2 });
  if (opts.release === true) return { kind: 'release' };
  const headers: Record<string, string> = {};
  for (const field of opts.replayHeader as string[]) {
    const colon = field.indexOf(':');
    if (colon < 1) cmd.error(`error: --replay-header ${JSON.stringify(field)} is not "Name: value"`, { exitCode: 2 });
    headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
  }
  return { kind: 'replay', status: Number(status), headers, body: String(opts.replayBody) };
}
