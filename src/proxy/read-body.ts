import type { IncomingMessage } from 'node:http';
import { collect } from './collect.js';

/** The request body, or why it could not be read. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Read a request body into memory, never holding more than `limit` bytes.
 *
 * A guarded request must be read whole before it is claimed: its fingerprint covers the body
 * (SPEC §4), and a retry after an upstream failure is sent from this copy. The limit bounds
 * that memory; a declared Content-Length over it is refused before reading a byte.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: 'too-large' };
  // Over the limit, collect() pauses the stream: the answer is 413 and the connection closes after it.
  const read = await collect(req, limit);
  if (read.kind === 'complete') return { ok: true, body: read.body };
  return { ok: false, reason: read.kind === 'over-cap' ? 'too-large' : 'aborted' };
}
