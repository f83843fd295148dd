import type { OutboxEffect, Store } from '../store/store.js';

export interface DispatcherOptions {
  /** How long a claimed effect is reserved for this dispatcher before another may take it (ms). */
  leaseMs?: number;
  /** First retry delay; doubles per attempt, with full jitter, up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After this many attempts an effect is given up (state `failed`). */
  maxAttempts?: number;
  /** How often the outbox is polled for due effects (restarts, retries, other instances' rows). */
  pollMs?: number;
  /** Per-delivery timeout (ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** 4xx answers that mean "not now" rather than "never": retried like 5xx. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Delivers outbox effects after commit, at least once (SPEC §5). Each effect is POSTed with its
 * derived Idempotency-Key, so redelivery after a crash or a lost answer is deduplicated by the
 * receiver. Effects are claimed in the store with a lease, so several dispatchers — in this
 * process or in other instances — never deliver the same row at the same time.
 */
export class EffectDispatcher {
  private readonly o: Required<Omit<DispatcherOptions, 'fetch'>> & { fetch: typeof fetch };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly baseUrl: string,
    options: DispatcherOptions = {},
  ) {
    this.o = {
      leaseMs: options.leaseMs ?? 30_000,
      retryBaseMs: options.retryBaseMs ?? 1_000,
      retryMaxMs: options.retryMaxMs ?? 5 * 60_000,
      maxAttempts: options.maxAttempts ?? 25,
      pollMs: options.pollMs ?? 1_000,
      timeoutMs: options.timeoutMs ?? Math.min(10_000, Math.floor((options.leaseMs ?? 30_000) / 2)),
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Deliver what is due now; coalesces calls made while a pass is running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Stop polling and wait for deliveries under way; unclaimed rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.store.claimEffects(Date.now(), this.o.leaseMs, 16);
        if (batch.length === 0) return;
        await Promise.all(batch.map((effect) => this.deliver(effect)));
        if (this.stopped) return;
      }
    } catch {
      // The store is closing or unreachable: the next poll tries again.
    }
  }

  private async deliver(effect: OutboxEffect): Promise<void> {
    const { url, body } = JSON.parse(effect.payload) as { url: string; body: unknown };
    let failure: string;
    let retry = true;
    try {
      const response = await this.o.fetch(new URL(url, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': sfString(effect.idempotencyKey) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return this.store.markEffectDelivered(effect.id, Date.now());
      failure = `HTTP ${response.status}`;
      retry = response.status >= 500 || RETRYABLE_4XX.has(response.status);
    } catch (error) {
      failure = (error as Error).message;
    }
    const giveUp = !retry || effect.attempts >= this.o.maxAttempts;
    await this.store.markEffectFailed(effect.id, failure, giveUp ? null : Date.now() + this.backoff(effect.attempts));
  }

  /** Exponential backoff with "equal jitter": at least half the step, so retries never bunch at zero. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }
}

/** RFC 8941 §3.3.3 sf-string: the Idempotency-Key wire form. */
function sfString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
