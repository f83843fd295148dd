import type { IdempotencyRecord } from '../store/store.js';

/**
 * The most recently finished idempotency records of this process, by scope (principal + key).
 *
 * A finished record never changes until it expires (SPEC §4), so a copy held here is as good
 * as the row: a retry that finds one is replayed from memory — no transaction, no read — and a
 * request with a new key is not slowed by a look-up that would find nothing. A miss proves
 * nothing (another instance, a restart): the write transaction still reads the row.
 * Bounded by count; the oldest entry goes first.
 */
export class FinishedKeys {
  private readonly entries = new Map<string, IdempotencyRecord>();

  constructor(private readonly max = 5000) {}

  /** The finished record of `scope`, if held and not expired at `now`. */
  get(scope: string, now: number): IdempotencyRecord | undefined {
    const record = this.entries.get(scope);
    if (!record) return undefined;
    if (record.expiresAt <= now) {
      this.entries.delete(scope);
      return undefined;
    }
    return record;
  }

  /** Remember a finished record (only `done` ones are ever kept). */
  remember(scope: string, record: IdempotencyRecord): void {
    if (record.state !== 'done') return;
    this.entries.delete(scope);
    this.entries.set(scope, record);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
