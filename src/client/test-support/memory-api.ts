import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A deliberately small in-memory HTTP API, written for the client tests, that follows the
 * parts of SPEC.md the client relies on: strong ETags, If-Match → 412 with currentEtag,
 * body `version` → 409, Idempotency-Key replay (`Idempotent-Replayed: true`) and 422 on a
 * reused key, paginated lists with `Link: rel="next"`. Any collection name works; no schemas.
 * It lets the client's behaviour be pinned down independently of the real engine.
 */
export interface MemoryApi {
  url: string;
  close(): Promise<void>;
}

type Doc = Record<string, unknown> & { id: string; version: number; createdAt: string; updatedAt: string };

interface Stored {
  status: number;
  headers: Record<string, string>;
  body: string;
  fingerprint: string;
}

const PROBLEM = 'https://idem.dev/problems/';

/** Start the API on a free 127.0.0.1 port. */
export async function startMemoryApi(): Promise<MemoryApi> {
  const docs = new Map<string, Map<string, Doc>>();
  const keys = new Map<string, Stored>();
  const sockets = new Set<Socket>();

  const collection = (name: string): Map<string, Doc> => {
    let c = docs.get(name);
    if (!c) docs.set(name, (c = new Map()));
    return c;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let out: { status: number; headers: Record<string, string>; body: string };
      try {
        out = handle(req, text);
      } catch {
        out = problem(400, 'malformed-json', 'The body is not valid JSON');
      }
      res.writeHead(out.status, out.headers).end(req.method === 'HEAD' ? undefined : out.body);
    });
  });

  function handle(req: IncomingMessage, text: string): { status: number; headers: Record<string, string>; body: string } {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [name, id] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (name === undefined) return problem(404, 'not-found', 'No such route');
    const rawKey = header(req, 'idempotency-key');
    const key = rawKey?.replace(/^"(.*)"$/, '$1');
    const fingerprint = `${method} ${url.pathname} ${text}`;
    if (key !== undefined && method !== 'GET') {
      const stored = keys.get(key);
      if (stored && stored.fingerprint !== fingerprint) return problem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key');
      if (stored) return { status: stored.status, headers: { ...stored.headers, 'idempotent-replayed': 'true' }, body: stored.body };
    }
    const out = run(method, name, id, url, text, header(req, 'if-match'));
    if (key !== undefined && method !== 'GET' && out.status < 500) keys.set(key, { ...out, fingerprint });
    return out;
  }

  function run(method: string, name: string, id: string | undefined, url: URL, text: string, ifMatch: string | undefined) {
    const c = collection(name);
    if (id === undefined && method === 'GET') return list(c, name, url);
    if (id === undefined && method === 'POST') {
      const input = JSON.parse(text) as Record<string, unknown>;
      const now = new Date().toISOString();
      const doc: Doc = { ...input, id: randomUUID(), version: 1, createdAt: now, updatedAt: now };
      c.set(doc.id, doc);
      return represent(201, doc, { location: `/${name}/${doc.id}` });
    }
    const current = id === undefined ? undefined : c.get(id);
    if (id === undefined || current === undefined) return problem(404, 'not-found', 'No such resource');
    if (method === 'GET' || method === 'HEAD') return represent(200, current);
    const etag = etagOf(current);
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').map((t) => t.trim()).includes(etag)) {
      return problem(412, 'precondition-failed', 'The document changed since you read it; reload and retry', { currentEtag: etag, currentVersion: current.version });
    }
    if (method === 'DELETE') {
      c.delete(id);
      return { status: 204, headers: {}, body: '' };
    }
    const input = JSON.parse(text) as Record<string, unknown>;
    if (input['version'] !== undefined && input['version'] !== current.version) {
      return problem(409, 'version-conflict', `The current version is ${current.version}`, { currentEtag: etag, currentVersion: current.version });
    }
    const { id: _i, version: _v, createdAt: _c, updatedAt: _u, ...fields } = input;
    const base = method === 'PATCH' ? mergePatch(strip(current), fields) : fields;
    const next: Doc = { ...base, id, version: current.version, createdAt: current.createdAt, updatedAt: current.updatedAt };
    if (etagOf(next) !== etag) Object.assign(next, { version: current.version + 1, updatedAt: new Date().toISOString() });
    c.set(id, next);
    return represent(200, next);
  }

  function list(c: Map<string, Doc>, name: string, url: URL) {
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const start = Number(url.searchParams.get('cursor') ?? '0');
    const all = [...c.values()];
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : null;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (next !== null) headers['link'] = `</${name}?limit=${limit}&cursor=${next}>; rel="next"`;
    return { status: 200, headers, body: JSON.stringify({ items, next }) };
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 7396 §2: null removes, objects merge recursively, everything else replaces. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v)) {
      const t = out[k];
      out[k] = mergePatch(typeof t === 'object' && t !== null && !Array.isArray(t) ? (t as Record<string, unknown>) : {}, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}

function strip(doc: Doc): Record<string, unknown> {
  const { id: _i, version: _v, createdAt: _c, updatedAt: _u, ...fields } = doc;
  return fields;
}

function etagOf(doc: Doc): string {
  return `"${createHash('sha1').update(JSON.stringify(strip(doc))).digest('base64url')}"`;
}

function represent(status: number, doc: Doc, extra: Record<string, string> = {}) {
  return { status, headers: { 'content-type': 'application/json', etag: etagOf(doc), ...extra }, body: JSON.stringify(doc) };
}

function problem(status: number, kind: string, detail: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: PROBLEM + kind, title: kind, status, detail, ...extra }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
