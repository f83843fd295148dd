import { RetryRefusedError, TimeoutError } from './errors.js';
import { keyOf, toResult } from './result.js';
import { backoffDelay, failureMayRetry, methodMayRetry, parseRetryAfter } from './retry-policy.js';
import { sleep } from './sleep.js';
import type { Failure, FetchLike, Hooks, RequestContext, Result, RetryOptions } from './types.js';

/** One logical call, fully resolved: what `send` repeats until it succeeds or must stop. */
export interface Call {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
  /** The raw key already set in `headers`, if any: it is what makes POST/PATCH retriable. */
  idempotencyKey: string | undefined;
  token: string | (() => string | Promise<string>) | undefined;
  fetch: FetchLike;
  hooks: Hooks;
  timeout: number;
  deadline: number;
  retry: Required<RetryOptions> | false;
  signal: AbortSignal | undefined;
}

/**
 * Send a call, retrying what is safe to retry (see retry-policy.ts) with full-jitter backoff
 * or the server's Retry-After. Never sleeps past the deadline: when the next wait would end
 * after it, the last failure is returned at once. An abort cancels the attempt and the wait.
 */
export async function send<T>(call: Call): Promise<Result<T>> {
  const startedAt = Date.now();
  const deadlineAt = startedAt + call.deadline;
  const mayRetry = call.retry !== false && methodMayRetry(call.method, call.idempotencyKey !== undefined);
  for (let attempt = 1; ; attempt++) {
    const remaining = deadlineAt - Date.now();
    const result = await attemptOnce<T>(call, attempt, Math.min(call.timeout, remaining), remaining <= call.timeout);
    if (result.ok || call.retry === false || !mayRetry || !failureMayRetry(result)) return result;
    if (attempt > call.retry.limit) return refuse(result, `Gave up after ${attempt} attempts`);
    const retryAfter = parseRetryAfter(result.headers?.get('retry-after'));
    if (retryAfter !== undefined && retryAfter > call.retry.maxRetryAfter) {
      return refuse(result, `The server asked to wait ${retryAfter} ms, more than maxRetryAfter (${call.retry.maxRetryAfter} ms)`);
    }
    const delay = retryAfter ?? backoffDelay(attempt - 1, call.retry);
    if (Date.now() + delay >= deadlineAt) {
      return refuse(result, `Waiting ${delay} ms before retrying would pass the ${call.deadline} ms deadline`);
    }
    const request: RequestContext = { method: call.method, url: call.url, headers: call.headers, body: call.body, attempt };
    for (const hook of call.hooks.beforeRetry ?? []) await hook({ request, attempt: attempt + 1, delay, failure: result });
    if (!(await sleep(delay, call.signal))) return aborted(call, attempt);
  }
}

/** One HTTP attempt under its own timer; the body is read under the same timer. */
async function attemptOnce<T>(call: Call, attempt: number, budget: number, budgetIsDeadline: boolean): Promise<Result<T>> {
  if (call.signal?.aborted) return aborted(call, attempt - 1);
  if (budget <= 0) return timedOut(call, attempt - 1, new TimeoutError('deadline', call.deadline));
  // Token and hooks run before the timer and outside the catch: their errors are the
  // caller's bugs, not network failures, so they reject instead of being retried.
  const headers = new Headers(call.headers);
  const token = typeof call.token === 'function' ? await call.token() : call.token;
  if (token !== undefined && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  const request: RequestContext = { method: call.method, url: call.url, headers, body: call.body, attempt };
  for (const hook of call.hooks.beforeRequest ?? []) await hook(request);

  const controller = new AbortController();
  const timeoutError = budgetIsDeadline ? new TimeoutError('deadline', call.deadline) : new TimeoutError('attempt', call.timeout);
  let timedOutFlag = false;
  const timer = setTimeout(() => {
    timedOutFlag = true;
    controller.abort(timeoutError);
  }, budget);
  const onAbort = (): void => controller.abort(call.signal?.reason);
  call.signal?.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  let text: string;
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal };
    if (request.body !== undefined) init.body = request.body;
    response = await call.fetch(request.url, init);
    text = await response.text();
  } catch (error) {
    if (call.signal?.aborted) return aborted(call, attempt);
    if (timedOutFlag) return timedOut(call, attempt, timeoutError);
    return { ok: false, kind: 'network', error, attempts: attempt, ...keyOf(call) };
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onAbort);
  }
  for (const hook of call.hooks.afterResponse ?? []) await hook({ request, response, body: text });
  return toResult<T>(response, text, { attempt, idempotencyKey: call.idempotencyKey });
}

function aborted(call: Call, attempts: number): Failure {
  return { ok: false, kind: 'aborted', error: call.signal?.reason, attempts, ...keyOf(call) };
}

function timedOut(call: Call, attempts: number, error: TimeoutError): Failure {
  return { ok: false, kind: 'timeout', error, attempts, ...keyOf(call) };
}

/** Return a retriable failure as final, saying why it was not retried when it has no error of its own. */
function refuse(failure: Failure, reason: string): Failure {
  return failure.error === undefined ? { ...failure, error: new RetryRefusedError(reason) } : failure;
}
