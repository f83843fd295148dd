import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Stream an upstream response to the client: head, any bytes already read, then the rest as
 * it arrives (backpressure via pipe, so at most a few chunks are in memory). Resolves when the
 * upstream body is finished or broken; a broken body cuts the client connection, because a
 * complete-looking truncated body would be a silent loss.
 */
export function relay(upstream: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders, already: Buffer[] = []): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(upstream.statusCode ?? 502, headers);
    for (const chunk of already) res.write(chunk);
    upstream.pipe(res);
    // A client that went away must not stall the upstream connection: drain it instead.
    res.once('close', () => {
      if (!res.writableFinished) {
        upstream.unpipe(res);
        upstream.resume();
      }
    });
    upstream.once('close', () => {
      if (!upstream.complete) res.destroy();
      resolve();
    });
  });
}

/** Response head fields that must keep their upstream value when the body is streamed unchanged. */
export function withUpstreamLength(headers: OutgoingHttpHeaders, upstream: IncomingMessage): OutgoingHttpHeaders {
  const length = upstream.headers['content-length'];
  return length === undefined ? headers : { ...headers, 'content-length': length };
}
