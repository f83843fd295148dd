/**
 * The request mix of each operation, as autocannon `requests` entries. Runs inside the load
 * process. Every write changes the stored document (a counter goes into `age`), because idem
 * answers a PUT that changes nothing without writing (SPEC §2) and that would flatter it.
 */
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { send } from './http-client.js';

const JSON_TYPE = 'application/json';

/** Unique per load process, so no two processes' writes carry the same body. */
const TAG = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/**
 * A document of the example `customers` collection: {name* string, age integer, city string}.
 * `city` is unique per request, so a write is never a no-op against the stored state.
 * @param {number} n
 */
function customer(n) {
  return JSON.stringify({ name: `bench ${n % 1000}`, age: n % 120, city: `Lisbon ${TAG}-${n}` });
}

/**
 * A response header by case-insensitive name (autocannon keeps the server's spelling).
 * @param {Record<string, unknown>} headers
 * @param {string} name  lower case
 */
function headerValue(headers, name) {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** @param {string | number} id */
const itemPath = (id) => `/customers/${encodeURIComponent(String(id))}`;

/**
 * Fetch the current ETag of each id in `pool`, a few at a time.
 * @param {string} base
 * @param {Array<string | number>} pool
 * @returns {Promise<Map<string, string>>}
 */
async function loadEtags(base, pool) {
  const etags = new Map();
  let next = 0;
  const worker = async () => {
    while (next < pool.length) {
      const id = pool[next++];
      const res = await send(base, 'GET', itemPath(id), {}, undefined);
      const etag = res.headers.etag;
      if (res.status === 200 && typeof etag === 'string') etags.set(String(id), etag);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return etags;
}

/**
 * Build the autocannon `requests` array for one operation.
 * @param {{ url: string, op: string, ids: Array<string | number>, patchType: string }} spec
 * @returns {Promise<object[]>}
 */
export async function buildRequests(spec) {
  const { url, op, ids, patchType } = spec;
  let counter = 0;
  // Round-robin over the ids: with 50 connections and >= 1000 ids the same id is never written
  // twice at once, so no operation measures lock waits that a real client mix would not see.
  const nextId = () => ids[counter++ % ids.length];
  const randomId = () => ids[Math.floor(Math.random() * ids.length)];

  switch (op) {
    case 'get':
      return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: itemPath(randomId()) }) }];
    case 'put':
      return [{
        method: 'PUT',
        headers: { 'content-type': JSON_TYPE },
        setupRequest: (req) => ({ ...req, path: itemPath(nextId()), body: customer(counter) }),
      }];
    case 'patch':
      return [{
        method: 'PATCH',
        headers: { 'content-type': patchType },
        setupRequest: (req) => {
          const id = nextId();
          return { ...req, path: itemPath(id), body: JSON.stringify({ age: counter % 120, city: `Braga ${TAG}-${counter}` }) };
        },
      }];
    case 'post':
      return [{
        method: 'POST',
        path: '/customers',
        headers: { 'content-type': JSON_TYPE },
        setupRequest: (req) => ({ ...req, body: customer(++counter) }),
      }];
    case 'post-idem':
    case 'post-idem-v4':
      return [{
        method: 'POST',
        path: '/customers',
        setupRequest: (req) => {
          const n = ++counter;
          // A fresh key per request (sf-string syntax, SPEC §4): every request really creates.
          // post-idem sends what idem's client sends, a time-ordered UUIDv7; post-idem-v4 sends
          // random UUIDv4s, as many other clients do, to show what they cost the key index.
          const key = op === 'post-idem' ? uuidv7() : randomUUID();
          return {
            ...req,
            headers: { 'content-type': JSON_TYPE, 'idempotency-key': `"${key}"` },
            body: customer(n),
          };
        },
      }];
    case 'replay': {
      // One key, one body: the first request creates, every measured one is a stored replay.
      const key = `"bench-replay-${TAG}"`;
      const body = customer(7);
      const first = await send(url, 'POST', '/customers', { 'content-type': JSON_TYPE, 'idempotency-key': key }, body);
      if (first.status !== 201) throw new Error(`replay setup POST answered ${first.status}: ${first.body.slice(0, 300)}`);
      return [{ method: 'POST', path: '/customers', headers: { 'content-type': JSON_TYPE, 'idempotency-key': key }, body }];
    }
    case 'cond-put':
      return condPutRequests(url, ids, () => counter++);
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/**
 * PUT with `If-Match: <current ETag>` (RFC 9110 §13.1.1). ETags are read once for a pool of
 * ids, then tracked from each PUT response; a 412 reloads from the problem's `currentEtag`
 * (SPEC §3) so one stale entry does not fail forever.
 * @param {string} url
 * @param {Array<string | number>} ids
 * @param {() => number} tick
 */
async function condPutRequests(url, ids, tick) {
  const pool = ids.slice(0, Math.min(ids.length, 1000));
  const etags = await loadEtags(url, pool);
  if (etags.size === 0) throw new Error('cond-put: no ETag found on GET; the peer does not send ETags');
  const usable = pool.filter((id) => etags.has(String(id)));
  /**
   * A 412 whose answer carries no current ETag (the hand-written peer, or a write that was cut
   * off at the end of the warm-up and still landed) takes the id out of rotation until a GET
   * outside the measured connections has reloaded it.
   * @param {string} id
   */
  const reload = (id) => {
    etags.delete(id);
    send(url, 'GET', itemPath(id), {}, undefined).then(
      (res) => typeof res.headers.etag === 'string' && etags.set(id, res.headers.etag),
      () => {},
    );
  };
  let i = 0;
  return [{
    method: 'PUT',
    setupRequest: (req, context) => {
      let id = String(usable[i++ % usable.length]);
      for (let tries = 0; !etags.has(id) && tries < usable.length; tries++) id = String(usable[i++ % usable.length]);
      context.id = id;
      return {
        ...req,
        path: itemPath(id),
        headers: { 'content-type': JSON_TYPE, 'if-match': etags.get(id) ?? '*' },
        body: customer(tick()),
      };
    },
    onResponse: (status, body, context, headers) => {
      const etag = headerValue(headers, 'etag');
      if (status < 300 && typeof etag === 'string') {
        etags.set(context.id, etag);
      } else if (status === 412) {
        let current;
        try {
          current = JSON.parse(body).currentEtag;
        } catch {
          // Not problem+json.
        }
        if (typeof current === 'string') etags.set(context.id, current);
        else reload(context.id);
      }
    },
  }];
}
