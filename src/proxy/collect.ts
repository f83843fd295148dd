import type { IncomingMessage } from 'node:http';

/** A message body (an upstream response, or a client's request), read up to a cap. */
export type Collected =
  /** The whole body fit under the cap. */
  | { kind: 'complete'; body: Buffer }
  /** The body is larger than the cap: these bytes were read, the rest is still in the stream (paused). */
  | { kind: 'over-cap'; head: Buffer[] }
  /** The upstream connection broke (or timed out) before the body was complete. */
  | { kind: 'broken' };

/**
 * Read a message body while it fits under `cap` bytes. For a response, its head is held back
 * until then, so the proxy knows whether it can store the answer before the client sees any of
 * it; for a request, the cap is the body limit (read-body.ts).
 */
export function collect(upstream: IncomingMessage, cap: number): Promise<Collected> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Collected): void => {
      if (settled) return;
      settled = true;
      upstream.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > cap) {
        upstream.pause();
        settle({ kind: 'over-cap', head: chunks });
      }
    };
    upstream.on('data', onData);
    upstream.once('end', () => settle({ kind: 'complete', body: Buffer.concat(chunks, size) }));
    upstream.once('close', () => settle(upstream.complete ? { kind: 'complete', body: Buffer.concat(chunks, size) } : { kind: 'broken' }));
    // 'error' has a listener so a reset never becomes an uncaught exception; 'close' follows it.
    upstream.on('error', () => {});
  });
}
