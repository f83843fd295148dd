import type { IdempotencyRecord } from '../store/store.js';
import { replay, type ReplayedResponse } from './policy.js';

/** The original request of a remembered record, for recognising a byte-identical retry. */
export interface OriginalRequest {
  method: string;
  path: string;
  body: Uint8Array | undefined;
}

/** A kept request: its body as a latin1 string, one character per byte. */
interface KeptRequest {
  method: string;
  path: string;
  body: string | undefined;
}

interface Entry {
  record: IdempotencyRecord;
  original: KeptRequest | undefined;
  /** The replay of an identical retry, built on the first one and shared (frozen) after. */
  replayed: ReplayedResponse | undefined;
  /** Its place in the eviction ring. */
  slot: number;
}

/** Bodies up to this size are kept to recognise byte-identical retries; larger ones are not. */
const MAX_KEPT_BODY = 1024;

/**
 * Finished idempotency records of this process that a retry has already asked for, by scope
 * (principal + key).
 *
 * A finished record never changes until it expires (SPEC §4), so a copy held here is as good
 * as the row: a further retry that finds one is replayed from memory — no transaction, no
 * read. A record enters on its first retry, not when it is written: most keys are never
 * retried, and keeping every new record cost more in garbage collection than that one read.
 * A miss proves nothing (another instance, a restart): the write transaction still reads the
 * row. Most retries are byte-for-byte the same request; for small bodies the request is kept
 * too, so such a retry is recognised before its body is even parsed.
 * Bounded by count; the oldest entry goes first.
 *
 * The eviction order is a ring of slots beside the Map, not the Map's own insertion order:
 * evicting with `map.keys().next()` walks over every hole earlier deletions left at the front
 * of V8's ordered hash table, which measured ~3 µs per remembered key at 5000 entries.
 */
export class FinishedKeys {
  private readonly entries = new Map<string, Entry>();
  /** Scopes in the order they were remembered; the next slot to fill holds the oldest. */
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(private readonly max = 5000) {
    this.ring = new Array<string | undefined>(max).fill(undefined);
  }

  /** The finished record of `scope`, if held and not expired at `now`. */
  get(scope: string, now: number): IdempotencyRecord | undefined {
    return this.entry(scope, now)?.record;
  }

  /**
   * The replayed response of `scope` when this request (method, path, body bytes) is
   * byte-for-byte the one that produced it; undefined otherwise. The response is frozen and the
   * same object for every identical retry: retries of one key are its whole traffic.
   */
  replayIdentical(scope: string, now: number, method: string, path: string, body: Uint8Array | undefined): ReplayedResponse | undefined {
    const entry = this.entry(scope, now);
    const original = entry?.original;
    if (!original || original.method !== method || original.path !== path) return undefined;
    const kept = original.body;
    const same = kept === undefined || body === undefined ? kept === body : sameBytes(kept, body);
    if (!same || !entry.record.response) return undefined;
    entry.replayed ??= frozen(replay(entry.record.response));
    return entry.replayed;
  }

  /** Remember a finished record (only `done` ones are ever kept), and its request when small. */
  remember(scope: string, record: IdempotencyRecord, original?: OriginalRequest): void {
    if (record.state !== 'done') return;
    // Kept as a string, not bytes: a small request Buffer is often a slice of Node's shared
    // 8 KiB pool, which keeping it would pin, and thousands of small ArrayBuffers cost the
    // garbage collector far more than strings do.
    const small = original && (original.body === undefined || original.body.length <= MAX_KEPT_BODY);
    const keep = small ? { method: original.method, path: original.path, body: original.body && latin1(original.body) } : undefined;
    const slot = this.next;
    this.next = (slot + 1) % this.max;
    const oldest = this.ring[slot];
    // The oldest scope leaves unless it was remembered again since (then it owns a newer slot).
    if (oldest !== undefined && this.entries.get(oldest)?.slot === slot) this.entries.delete(oldest);
    this.ring[slot] = scope;
    this.entries.set(scope, { record, original: keep, replayed: undefined, slot });
  }

  get size(): number {
    return this.entries.size;
  }

  private entry(scope: string, now: number): Entry | undefined {
    const entry = this.entries.get(scope);
    if (!entry) return undefined;
    if (entry.record.expiresAt <= now) {
      this.entries.delete(scope);
      return undefined;
    }
    return entry;
  }
}

/** `kept` (latin1, one character per byte) holds exactly `bytes`; compared in place, nothing allocated. */
function sameBytes(kept: string, bytes: Uint8Array): boolean {
  if (kept.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (kept.charCodeAt(i) !== bytes[i]) return false;
  return true;
}

function frozen(response: ReplayedResponse): ReplayedResponse {
  Object.freeze(response.headers);
  return Object.freeze(response);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
