import type { IdempotencyRecord } from '../store/store.js';

/** The original request of a remembered record, for recognising a byte-identical retry. */
export interface OriginalRequest {
  method: string;
  path: string;
  body: Uint8Array | undefined;
}

interface Entry {
  record: IdempotencyRecord;
  original: OriginalRequest | undefined;
}

/** Bodies up to this size are kept to recognise byte-identical retries; larger ones are not. */
const MAX_KEPT_BODY = 1024;

/**
 * The most recently finished idempotency records of this process, by scope (principal + key).
 *
 * A finished record never changes until it expires (SPEC §4), so a copy held here is as good
 * as the row: a retry that finds one is replayed from memory — no transaction, no read — and a
 * request with a new key is not slowed by a look-up that would find nothing. A miss proves
 * nothing (another instance, a restart): the write transaction still reads the row.
 * Most retries are byte-for-byte the original request; for small bodies the original is kept
 * too, so such a retry is recognised before its body is even parsed.
 * Bounded by count; the oldest entry goes first.
 */
export class FinishedKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = 5000) {}

  /** The finished record of `scope`, if held and not expired at `now`. */
  get(scope: string, now: number): IdempotencyRecord | undefined {
    return this.entry(scope, now)?.record;
  }

  /** The record of `scope` when `request` is byte-for-byte the request that produced it. */
  getIdentical(scope: string, now: number, request: OriginalRequest): IdempotencyRecord | undefined {
    const entry = this.entry(scope, now);
    const original = entry?.original;
    if (!original || original.method !== request.method || original.path !== request.path) return undefined;
    const [a, b] = [original.body, request.body];
    const same = a === undefined || b === undefined ? a === b : Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
    return same ? entry.record : undefined;
  }

  /** Remember a finished record (only `done` ones are ever kept), and its request when small. */
  remember(scope: string, record: IdempotencyRecord, original?: OriginalRequest): void {
    if (record.state !== 'done') return;
    const keep = original && (original.body === undefined || original.body.length <= MAX_KEPT_BODY) ? { ...original, body: original.body && Uint8Array.from(original.body) } : undefined;
    this.entries.delete(scope);
    this.entries.set(scope, { record, original: keep });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
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
