/**
 * A minimal round-robin TCP balancer for the bench, run as its own process so its CPU and
 * memory are read from /proc like a server's:
 *
 *   node bench/lib/balancer.js <listen port> <upstream port> [<upstream port> …]
 *
 * Connection-level round robin on 127.0.0.1: each accepted client socket is connected to the
 * next upstream in turn and the two sockets are piped both ways. No HTTP parsing, so a
 * keep-alive connection stays on the instance it was given (autocannon's 50 connections split
 * 25/25). Half-closes are passed on (allowHalfOpen), Nagle is off on both legs, and when either
 * side fails the other is destroyed (a clean close ends the other gracefully). SIGTERM/SIGINT: stop accepting, destroy every
 * open socket, exit 0.
 */
import { connect, createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';

/**
 * Start a balancer in this process.
 * @param {number} port  0 for any free port
 * @param {number[]} upstreams  ports on 127.0.0.1
 * @returns {Promise<{ port: number, close: () => Promise<void>, stats: () => { accepted: number, perUpstream: number[], open: number } }>}
 */
export function startBalancer(port, upstreams) {
  if (upstreams.length === 0) throw new Error('balancer: no upstream ports');
  /** @type {Set<import('node:net').Socket>} */
  const open = new Set();
  const perUpstream = upstreams.map(() => 0);
  let next = 0;
  let accepted = 0;

  const track = (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    const i = next;
    next = (next + 1) % upstreams.length;
    accepted++;
    perUpstream[i]++;
    const upstream = connect({ host: HOST, port: upstreams[i], allowHalfOpen: true });
    track(client);
    track(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const destroyBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    // A failed leg takes the other down at once; a leg that closed cleanly ends the other
    // gracefully, so bytes still queued for it (a response before "Connection: close") go out.
    client.on('error', destroyBoth);
    upstream.on('error', destroyBoth);
    client.once('close', () => upstream.end());
    upstream.once('close', () => client.end());
    // Bytes the client sent before the upstream connected wait in the paused socket, not here.
    upstream.once('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : port,
        stats: () => ({ accepted, perUpstream: [...perUpstream], open: open.size }),
        close: () =>
          new Promise((done) => {
            server.close(() => done(undefined));
            for (const s of open) s.destroy();
          }),
      });
    });
  });
}

// Run as a process: `node bench/lib/balancer.js <port> <upstream>…`.
if (process.argv[1] && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) {
  const [port, ...ups] = process.argv.slice(2).map(Number);
  if (!Number.isInteger(port) || ups.length === 0 || ups.some((p) => !Number.isInteger(p) || p <= 0)) {
    process.stderr.write('usage: node bench/lib/balancer.js <listen port> <upstream port> [<upstream port> …]\n');
    process.exit(2);
  }
  const lb = await startBalancer(port, ups);
  process.stdout.write(`balancer on ${HOST}:${lb.port} → ${ups.map((p) => `${HOST}:${p}`).join(', ')}\n`);
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    const s = lb.stats();
    process.stdout.write(`balancer stopping (${signal}): ${s.accepted} connections accepted, per upstream ${s.perUpstream.join('/')}, ${s.open} sockets still open\n`);
    lb.close().then(() => process.exit(0));
    // Never hang on a socket that will not close.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
