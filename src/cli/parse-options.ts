import { InvalidArgumentError } from 'commander';

/** Parse a duration such as `24h`, `30m`, `90s`, `500ms` or plain milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('use a duration such as 24h, 30m, 90s or 500ms.');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms'];
  return Math.round(Number(match[1]) * unit);
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
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('use a port number from 0 to 65535 (0: any free port).');
  return n;
}

/** Parse a byte size such as `1mb`, `512kb` or plain bytes. */
export function parseBytes(value: string): number {
  const match = /^(\d+)(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('use a size such as 1mb, 512kb or a number of bytes.');
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Number(match[1]) * unit;
}
