import { isIP } from 'node:net';

/**
 * SPEC §7: without API keys the server runs open, and that is only safe when nothing but this
 * machine can reach it. The CLI calls `checkOpenAccess` before listening: it refuses an open
 * server on any non-loopback address unless the operator said `--insecure-open`, and gives the
 * notice to print at start-up.
 */

/** Whether a listen host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped loopback, ::ffff:127.x.y.z
  return /^::ffff:127\./.test(h);
}

export interface OpenAccessInput {
  host: string;
  /** Number of configured API keys. */
  keyCount: number;
  insecureOpen?: boolean | undefined;
}

/** What the CLI should do: start (printing `notice`), or refuse with `message`. */
export type OpenAccessDecision = { ok: true; notice: string | undefined } | { ok: false; message: string };

/** Decide whether the server may start with this host and these keys. */
export function checkOpenAccess(input: OpenAccessInput): OpenAccessDecision {
  if (input.keyCount > 0) {
    return { ok: true, notice: `idem: API keys required (${input.keyCount} configured); only /healthz is open.` };
  }
  if (isLoopbackHost(input.host)) {
    return {
      ok: true,
      notice: `idem: no API keys configured — running OPEN on loopback only (${input.host}); every caller has the admin role. Set IDEM_API_KEYS or --keys FILE before exposing this server.`,
    };
  }
  if (input.insecureOpen === true) {
    return {
      ok: true,
      notice: `idem: WARNING — no API keys configured and listening on ${input.host} with --insecure-open: anyone who can reach this address can read, change and delete everything.`,
    };
  }
  return {
    ok: false,
    message: `idem: refusing to run without API keys on ${input.host}, which is not a loopback address. Configure keys (IDEM_API_KEYS='name:secret:role' or --keys FILE), listen on 127.0.0.1, or pass --insecure-open if this network is trusted.`,
  };
}
