/**
 * Durations and sizes on the command line, for `idem serve` (parse-options.ts) and `idem proxy`.
 * Durations: `500ms`, `30s`, `5m`, `24h`, `7d`, or a bare number of
 * milliseconds. Operators think in seconds and hours, tests in milliseconds; both are accepted.
 */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse a duration to milliseconds; throws an Error naming the value and the accepted forms. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`${what} ${JSON.stringify(text)} is not a duration: write e.g. 500ms, 30s, 5m, 24h or 7d.`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1);
  if (!Number.isFinite(ms)) throw new Error(`${what} ${JSON.stringify(text)} is too large.`);
  return Math.round(ms);
}

const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Byte sizes: `1048576`, `512kb`, `1mb`, `1gb` (binary multiples: 1kb = 1024 bytes; `kib` etc. too). */
export function parseBytes(text: string, what = 'size'): number {
  const match = /^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  if (!match) throw new Error(`${what} ${JSON.stringify(text)} is not a size: write e.g. 1048576, 512kb or 1mb.`);
  return Number(match[1]) * (BYTE_UNITS[(match[2] ?? 'b').toLowerCase()[0] ?? 'b'] ?? 1);
}

/** A TCP port to listen on: 0 (any free port) to 65535. */
export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}
