import { toCurl, type CurlRequest } from './curl.js';

/** Identifies the checker in server logs, so its test documents can be traced. */
const USER_AGENT = 'idem-check';

/** One request the checker sent and the response it got. */
export interface Exchange {
  request: CurlRequest;
  status: number;
  headers: Headers;
  /** The response content as text ('' when there is none). */
  text: string;
  /** The content parsed as JSON, when it is JSON. */
  json: unknown;
}

/** What a probe passes to `send`. */
export interface SendOptions {
  headers?: Record<string, string>;
  /** Sent as `application/json` unless `contentType` says otherwise. */
  json?: unknown;
  /** Raw content; needs `contentType`. */
  body?: string;
  contentType?: string;
}

/** Raised when a request could not be completed at all (connection refused, timeout). */
export class TransportError extends Error {
  readonly request: CurlRequest;

  constructor(request: CurlRequest, cause: unknown) {
    super(`${request.method} ${request.url} failed: ${describe(cause)}`, { cause });
    this.name = 'TransportError';
    this.request = request;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

/**
 * The checker's HTTP client: global fetch (undici) with the user's headers on every request,
 * a timeout, no redirects followed (a 3xx is itself evidence), and a log of every exchange
 * so that later checks (problem+json, no 5xx, Allow) can judge everything that was seen.
 */
export class CheckHttp {
  readonly log: Exchange[] = [];
  private readonly baseHeaders: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: { headers?: Record<string, string>; timeoutMs?: number; fetch?: typeof fetch } = {}) {
    this.baseHeaders = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Send one request and record it. Throws TransportError only when no response came back. */
  async send(method: string, url: string, options: SendOptions = {}): Promise<Exchange> {
    const headers: Record<string, string> = { ...this.baseHeaders, ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      body = options.body;
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    }
    const request: CurlRequest = { method: method.toUpperCase(), url, headers, body };
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: request.method,
        headers: { 'User-Agent': USER_AGENT, ...headers },
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        // Fetch turns the default cache mode into no-store for conditional requests and then
        // adds Pragma and Cache-Control: no-cache (Fetch standard, HTTP-network-or-cache fetch).
        // Servers such as Express then skip If-None-Match, so the checker would misjudge them.
        // Node's fetch has no HTTP cache, so force-cache only stops those headers: what is sent
        // is what the reproducing curl shows.
        cache: 'force-cache',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new TransportError(request, error);
    }
    const exchange: Exchange = { request, status: response.status, headers: response.headers, text, json: parseJson(text) };
    this.log.push(exchange);
    return exchange;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `PUT /customers/1 → 412 (etag: "…") · sent If-Match: "…"`: the status and the response
 * headers that matter come first, because long URLs and keys get truncated on screen.
 */
export function line(exchange: Exchange, ...headerNames: string[]): string {
  const { method, url } = exchange.request;
  const shown = headerNames
    .map((name) => [name, exchange.headers.get(name)] as const)
    .map(([name, value]) => `${name}: ${value ?? '(none)'}`);
  const sent = Object.entries(exchange.request.headers)
    .filter(([name]) => /^(if-|idempotency-key$|content-type$)/i.test(name))
    .map(([name, value]) => `${name}: ${value}`);
  const response = `${method} ${url} → ${exchange.status}${shown.length > 0 ? ` (${shown.join('; ')})` : ''}`;
  return sent.length > 0 ? `${response} · sent ${sent.join('; ')}` : response;
}

/** The curl command reproducing an exchange. */
export function curlOf(exchange: Exchange): string {
  return toCurl(exchange.request);
}

/** The content type's `type/subtype`, lower-cased, without parameters. */
export function mediaType(exchange: Exchange): string | undefined {
  const value = exchange.headers.get('content-type');
  if (value === null) return undefined;
  return value.split(';')[0]?.trim().toLowerCase();
}

/** True for 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
