/**
 * The ceiling: bare `node:http` answering every request with one fixed JSON body, after
 * reading the request body. No routing, no storage, no validation — nothing a real API can
 * beat on this machine. Usage: `node bench/servers/ceiling-server.js <port>`.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const body = Buffer.from(
  JSON.stringify({
    id: '0190a8d4-7c4e-7b1a-9f3e-2d6c1b8a5e42',
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    name: 'bench 7',
    age: 7,
    city: 'Lisbon',
  }),
);

const server = createServer((req, res) => {
  // Drain the request body so writes cost what a real server's parsing at least costs.
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, etag: '"3"' });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ceiling listening on 127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
