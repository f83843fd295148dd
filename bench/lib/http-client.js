/**
 * A tiny keep-alive HTTP client for the bench's own requests (seeding, ETag preloading,
 * the correctness check). Not used for measured load — autocannon does that.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * Send one request and read the whole response.
 * @param {string} base  e.g. http://127.0.0.1:3000
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {string | undefined} body
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
export function send(base, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent, timeout: 60_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Run `task(i)` for i in [0, count) with at most `concurrency` in flight.
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<void>} task
 */
export async function pool(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * The id of a created resource: from the body's `id`, else the last segment of `Location`.
 * @param {{ headers: import('node:http').IncomingHttpHeaders, body: string }} res
 * @returns {string | number | undefined}
 */
export function createdId(res) {
  try {
    const doc = JSON.parse(res.body);
    if (doc && (typeof doc.id === 'string' || typeof doc.id === 'number')) return doc.id;
  } catch {
    // fall through to Location
  }
  const loc = res.headers.location;
  return typeof loc === 'string' ? decodeURIComponent(loc.split('/').pop() ?? '') : undefined;
}
