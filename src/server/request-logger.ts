import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

/** Fastify does not export the factory's type by name. */
type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1];
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LevelCheck = { isLevelEnabled(level: string): boolean };

/**
 * A request's logger that becomes a pino child (with the request id bound) only when a line is
 * actually written. Fastify builds `request.log` for every request; a real child costs pino
 * a prototype object, its formatters and the serialised bindings — about 0.35 KB of
 * allocation per request in a sampling heap profile — and at `--log-level warn` (what a busy
 * server runs at; the CLI's default is info, which logs every request) almost no request ever
 * logs. A line that is written is exactly the child's line.
 */
class DeferredRequestLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger & LevelCheck,
    private readonly bindings: Bindings,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return (this.#child === undefined ? this.parent : (this.#child as unknown as LevelCheck)).isLevelEnabled(level);
  }

  private write(level: Level, args: unknown[]): void {
    // The child inherits the parent's level unless someone set its own.
    if (this.isLevelEnabled(level)) (this.real()[level] as (...a: unknown[]) => void)(...args);
  }

  private real(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings);
    return this.#child;
  }
}

/**
 * Fastify's `childLoggerFactory`: a deferred child for the common call (bindings only); a
 * route with its own log level or serializers, or a logger without pino's `isLevelEnabled`,
 * gets a real child at once.
 */
export const deferredChildLogger: ChildLoggerFactory = function (logger, bindings, options) {
  const checkable = typeof (logger as Partial<LevelCheck>).isLevelEnabled === 'function';
  if (!checkable || options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new DeferredRequestLogger(logger as FastifyBaseLogger & LevelCheck, bindings) as unknown as FastifyBaseLogger;
};

/**
 * Fastify's `disableRequestLogging`: its "incoming request" / "request completed" lines are
 * info lines, so below info there is nothing to log and Fastify need not build their objects
 * for every request. Read per request, so raising the level at run time brings them back.
 */
export function requestLoggingOff(root: () => FastifyBaseLogger | undefined): () => boolean {
  return () => {
    const logger = root() as Partial<LevelCheck> | undefined;
    return typeof logger?.isLevelEnabled === 'function' && !logger.isLevelEnabled('info');
  };
}
