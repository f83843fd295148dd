import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the proxy received, in arrival order. */
export interface SeenRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the proxy did with it. */
  fault: FaultKind | 'forward';
  /** Date.now() on arrival. */
  at: number;
}

/** What the proxy can do to one request instead of forwarding it faithfully. */
export type FaultKind = 'drop-response' | 'unavailable' | 'delay' | 'hang';

interface Fault {
  kind: FaultKind;
  match: (req: SeenRequest) => boolean;
  retryAfter?: number;
  ms?: number;
}

/** A fault-injecting HTTP proxy on 127.0.0.1 for client tests. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request received so far. */
  requests: SeenRequest[];
  /** Forward the next `n` matching requests, let the target answer, then cut the connection: the response is lost. */
  dropResponses(n: number, match?: (req: SeenRequest) => boolean): void;
  /** Answer the next `n` matching requests with 503 and `Retry-After: seconds`, without forwarding. */
  unavailable(n: number, retryAfterSeconds: number, match?: (req: SeenRequest) => boolean): void;
  /** Hold the next `n` matching requests for `ms` before forwarding them. */
  delay(n: number, ms: number, match?: (req: SeenRequest) => boolean): void;
  /** Never answer the next `n` matching requests (until the client gives up or the proxy closes). */
  hang(n: number, match?: (req: SeenRequest) => boolean): void;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Stop listening and cut every open connection. */
  close(): Promise<void>;
}

const anyRequest = (): boolean => true;

/**
 * Start a proxy that forwards to `target` (an http:// origin) but can lose responses, delay
 * requests, answer 503 + Retry-After, or hang — the failures a retrying client must survive.
 * Faults are queued and consumed one request at a time, first matching fault first.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const origin = new URL(target);
  const faults: Fault[] = [];
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const queue = (kind: FaultKind, n: number, match: (req: SeenRequest) => boolean, extra: Partial<Fault> = {}): void => {
    for (let i = 0; i < n; i++) faults.push({ kind, match, ...extra });
  };

  const forward = (seen: SeenRequest, res: ServerResponse, onAnswered: (status: number, headers: IncomingMessage['headers'], body: Buffer) => void): void => {
    const headers = { ...seen.headers, host: origin.host };
    const upstream = httpRequest({ host: origin.hostname, port: origin.port, method: seen.method, path: seen.url, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => onAnswered(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream failed');
    });
    upstream.end(seen.body);
  };

  const relay = (res: ServerResponse) => (status: number, headers: IncomingMessage['headers'], body: Buffer): void => {
    const out = { ...headers };
    delete out['transfer-encoding'];
    delete out['connection'];
    out['content-length'] = String(body.length);
    res.writeHead(status, out).end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), fault: 'forward', at: Date.now() };
      const index = faults.findIndex((f) => f.match(seen));
      const fault = index >= 0 ? faults.splice(index, 1)[0] : undefined;
      if (fault) seen.fault = fault.kind;
      requests.push(seen);
      for (const w of [...waiters]) {
        if (requests.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      switch (fault?.kind) {
        case 'drop-response':
          // The target has answered (and committed); the client never hears about it.
          forward(seen, res, () => req.socket.destroy());
          return;
        case 'unavailable':
          res.writeHead(503, { 'retry-after': String(fault.retryAfter ?? 1), 'content-type': 'application/problem+json' })
            .end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Injected by the fault proxy' }));
          return;
        case 'delay': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            forward(seen, res, relay(res));
          }, fault.ms ?? 0);
          timers.add(timer);
          return;
        }
        case 'hang':
          return;
        default:
          forward(seen, res, relay(res));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dropResponses: (n, match = anyRequest) => queue('drop-response', n, match),
    unavailable: (n, retryAfter, match = anyRequest) => queue('unavailable', n, match, { retryAfter }),
    delay: (n, ms, match = anyRequest) => queue('delay', n, match, { ms }),
    hang: (n, match = anyRequest) => queue('hang', n, match),
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
