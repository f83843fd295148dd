/**
 * Durations on the command line: `500ms`, `30s`, `5m`, `24h`, `7d`, or a bare number of
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

/** Byte sizes: `1048576`, `512kb`, `1mb` (binary multiples: 1kb = 1024 bytes). */
export function parseBytes(text: string, what = 'size'): number {
  const match = /^\s*(\d+)\s*(b|kb|kib|mb|mib)?\s*$/i.exec(text);
  if (!match) throw new Error(`${what} ${JSON.stringify(text)} is not a size: write e.g. 1048576, 512kb or 1mb.`);
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(match[1]) * factor;
}
