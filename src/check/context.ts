import { randomUUID } from 'node:crypto';
import type { CheckKey } from './catalog.js';
import { checks } from './catalog.js';
import type { CreatedResources } from './cleanup.js';
import { changeCandidates, clientFields, freshen, type Change } from './document-variants.js';
import { curlOf, isSuccess, type CheckHttp, type Exchange, type SendOptions } from './http.js';
import type { CheckResult, CollectionTarget, Verdict } from './types.js';

/**
 * The state the probes of one collection share: the resource under test, its ETags, the
 * change the API accepted, and the results so far. Probes run in order and each one
 * leaves the resource in a state the next can use.
 */
export class ProbeContext {
  readonly results: CheckResult[] = [];
  /** The created resource every later probe works on; undefined if creation failed. */
  resourceUrl: string | undefined;
  /** Every ETag the resource has had, oldest first (for a genuinely stale If-Match). */
  readonly etags: string[] = [];
  /** The field change the API accepted, once one was found. */
  change: Change | undefined;
  /** Not-yet-tried change candidates, best first. */
  candidates: Change[];
  /** Set when a write without If-Match was answered 428 (RFC 6585 §3). */
  requiresPreconditions = false;
  /**
   * The document of the resource under test: the sample's client fields, made unique to this
   * run (see `freshen`) unless the API refused that, in which case the sample as given.
   */
  document: Record<string, unknown>;
  private freshening = true;
  private tagCounter = 0;
  private readonly runTag = randomUUID().slice(0, 6);

  constructor(
    readonly http: CheckHttp,
    readonly target: CollectionTarget,
    readonly created: CreatedResources,
    private readonly onResult: (result: CheckResult) => void,
  ) {
    this.document = this.freshDocument();
    this.candidates = changeCandidates(this.document, target.schema);
  }

  /** A new variant of the sample for another create, distinct from every other one of this run. */
  freshDocument(): Record<string, unknown> {
    const sample = clientFields(this.target.sample, this.target.idField);
    if (!this.freshening) return sample;
    this.tagCounter += 1;
    return freshen(sample, `ic${this.runTag}${this.tagCounter}`, this.target.schema);
  }

  /** The API refused the varied document: use the sample exactly as given from now on. */
  useSampleAsGiven(): void {
    this.freshening = false;
    this.document = clientFields(this.target.sample, this.target.idField);
    this.candidates = changeCandidates(this.document, this.target.schema);
  }

  /** True while documents are varied per create. */
  get varies(): boolean {
    return this.freshening;
  }

  /** A fresh id for client-id creation: URL-unreserved, recognisable, unique. */
  newId(): string {
    return `idem-check-${randomUUID()}`;
  }

  /** A fresh Idempotency-Key as an sf-string (draft-ietf-httpapi-idempotency-key-header §2.1). */
  newKey(): string {
    return `"idem-check-${randomUUID()}"`;
  }

  /** `{collection}/{id}`, with the id percent-encoded. */
  itemUrl(id: string): string {
    return `${this.target.url.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
  }

  /** Record a verdict. `decisive` are the exchanges whose curl reproduces it. */
  record(key: CheckKey, verdict: Verdict, summary: string, evidence: string[] = [], decisive: Exchange[] = []): void {
    const result: CheckResult = {
      ...checks[key],
      collection: this.target.url,
      verdict,
      summary,
      evidence,
      curl: decisive.map(curlOf),
    };
    this.results.push(result);
    this.onResult(result);
  }

  /** Record n/a for checks that need the resource when there is none. */
  skipWithoutResource(...keys: CheckKey[]): boolean {
    if (this.resourceUrl !== undefined) return false;
    for (const key of keys) this.record(key, 'n/a', 'No resource could be created, so there is nothing to test this on.');
    return true;
  }

  /** GET the resource (or a URL) and remember its ETag. */
  async read(url: string = this.mustResource()): Promise<Exchange> {
    const response = await this.http.send('GET', url);
    const etag = response.headers.get('etag');
    if (url === this.resourceUrl && etag !== null && this.etags.at(-1) !== etag) this.etags.push(etag);
    return response;
  }

  /**
   * Send a write. When the API answers 428 because the write lacks If-Match (RFC 6585 §3),
   * send it again with the current ETag: requiring preconditions is good practice, not a
   * reason to stop checking.
   */
  async write(method: string, url: string, options: SendOptions = {}): Promise<Exchange> {
    const response = await this.http.send(method, url, options);
    const conditional = Object.keys(options.headers ?? {}).some((name) => /^if-/i.test(name));
    if (response.status !== 428 || conditional) return response;
    this.requiresPreconditions = true;
    const current = await this.http.send('GET', url);
    const etag = current.headers.get('etag');
    const precondition: Record<string, string> = etag !== null ? { 'If-Match': etag } : { 'If-None-Match': '*' };
    return await this.http.send(method, url, { ...options, headers: { ...options.headers, ...precondition } });
  }

  /** Record what a response says it created (201 Location, or a 2xx body with an id). */
  noteCreated(response: Exchange, fallbackUrl?: string): string | undefined {
    if (!isSuccess(response.status)) return undefined;
    const location = response.headers.get('location');
    let url: string | undefined;
    if (location !== null) url = new URL(location, response.request.url).toString();
    else if (response.status === 201 && fallbackUrl !== undefined) url = fallbackUrl;
    else {
      const id = idOf(response.json, this.target.idField);
      if (id !== undefined && response.request.method === 'POST') url = this.itemUrl(id);
      else if (fallbackUrl !== undefined && response.request.method === 'PUT') url = fallbackUrl;
    }
    if (url !== undefined) this.created.add(url);
    return url;
  }

  /** The client fields of `document` with the change applied against `current`. */
  changed(current: unknown, base: Record<string, unknown> = this.document): Record<string, unknown> {
    const change = this.change ?? this.candidates[0];
    if (change === undefined) return { ...base };
    const currentValue = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[change.field] : undefined;
    return { ...base, [change.field]: change.differentFrom(currentValue) };
  }

  mustResource(): string {
    if (this.resourceUrl === undefined) throw new Error('no resource under test');
    return this.resourceUrl;
  }
}

/** The id in a representation, as a string. */
export function idOf(body: unknown, idField: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as Record<string, unknown>)[idField];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
