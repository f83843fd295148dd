import { InvalidArgumentError } from 'commander';
import { isPort, parseBytes as parseBytesText, parseDuration as parseDurationText } from './units.js';

/** A duration for commander: `24h`, `30m`, `90s`, `500ms` or plain milliseconds (units.ts). */
function parseDuration(value: string): number {
  return forCommander(() => parseDurationText(value, 'the duration'));
}

/**
 * A duration of at least `minMs`; `why` says what a shorter one would break (an idempotency
 * retention of 0 s would let every retry run again).
 */
export function parseDurationAtLeast(minMs: number, why: string): (value: string) => number {
  return (value) => {
    const ms = parseDuration(value);
    if (ms < minMs) throw new InvalidArgumentError(`use at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}: ${why}.`);
    return ms;
  };
}

/** Parse a whole number ≥ min. */
export function parseWhole(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`use a whole number of at least ${min}.`);
    return n;
  };
}

/** Parse a TCP port: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !isPort(n)) throw new InvalidArgumentError('use a port number from 0 to 65535 (0: any free port).');
  return n;
}

/** A byte size above 0 for commander: `1mb`, `512kb` or plain bytes (units.ts). */
export function parsePositiveBytes(value: string): number {
  const bytes = forCommander(() => parseBytesText(value, 'the size'));
  if (bytes === 0) throw new InvalidArgumentError('use a size above 0: a limit of 0 refuses every request body.');
  return bytes;
}

/** commander prints an InvalidArgumentError after the option and the value it refused. */
function forCommander<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
