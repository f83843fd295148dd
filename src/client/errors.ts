/**
 * The `error` of a `kind: 'timeout'` failure that the client itself cut short: either one
 * attempt ran past `timeout`, or the whole call ran past `deadline`.
 */
export class TimeoutError extends Error {
  /** Which budget ran out. */
  readonly budget: 'attempt' | 'deadline';
  /** The budget in milliseconds. */
  readonly ms: number;

  constructor(budget: 'attempt' | 'deadline', ms: number) {
    super(budget === 'attempt' ? `The attempt took longer than its ${ms} ms timeout` : `The call ran past its ${ms} ms deadline`);
    this.name = 'TimeoutError';
    this.budget = budget;
    this.ms = ms;
  }
}

/**
 * Why a retry loop stopped without trying again although the failure was retriable; set
 * as the `error` of the returned failure when it had none, so callers can tell "gave up" apart.
 */
export class RetryRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryRefusedError';
  }
}
