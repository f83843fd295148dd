/**
 * The vocabulary of `idem check`: what a check is, what it concluded, and the report a run
 * produces. Everything here is plain data so a report can be written as JSON or JUnit XML.
 */

/**
 * How binding a contract is. `MUST` comes from an RFC's requirement keyword (RFC 2119) in the
 * RFC that defines the method, header or status; `SHOULD` covers RFC recommendations, the
 * Idempotency-Key draft and idem's own SPEC. Only a failed `MUST` makes the run fail.
 */
export type Level = 'MUST' | 'SHOULD';

/** The outcome of one check: it held, it did not, or the API gave nothing to judge it on. */
export type Verdict = 'pass' | 'fail' | 'n/a';

/** The fixed description of a check, shared by every run. */
export interface CheckDefinition {
  /** Stable kebab-case id, used in JSON and JUnit output. */
  id: string;
  /** The contract in one line, phrased as what should be true. */
  title: string;
  level: Level;
  /** The RFC section (or draft / SPEC section) the contract comes from. */
  reference: string;
}

/** One check's verdict on one collection, with what was seen and how to see it again. */
export interface CheckResult extends CheckDefinition {
  /** The collection URL the check ran against. */
  collection: string;
  verdict: Verdict;
  /** One sentence: why this verdict. */
  summary: string;
  /** The requests and responses that led to the verdict, one line each. */
  evidence: string[];
  /** curl commands that reproduce the decisive requests (secrets redacted). */
  curl: string[];
}

/** What happened to one resource the checker created when it tried to delete it afterwards. */
export interface CleanupResult {
  url: string;
  /** The DELETE status, or null when the request itself failed. */
  status: number | null;
  /** True when the resource is gone (2xx, 404 or 410, or the checks had already deleted it). */
  ok: boolean;
  note: string;
}

/** A collection to audit: where it is, a valid document for it, and how ids are assigned. */
export interface CollectionTarget {
  /** Absolute URL of the collection, e.g. `http://127.0.0.1:3000/customers`. */
  url: string;
  /** A valid document (client fields only) that the collection accepts. */
  sample: Record<string, unknown>;
  /** Name of the id field in representations (default `id`). */
  idField: string;
  /** True when clients choose ids: resources are created by `PUT {collection}/{id}`. */
  clientIds: boolean;
  /** The document's JSON Schema when known (from OpenAPI): guides which fields to omit or change. */
  schema?: Record<string, unknown>;
}

/** Counts over all results. */
export interface ReportSummary {
  total: number;
  pass: number;
  fail: number;
  notApplicable: number;
  /** Failed checks whose level is MUST: any of these makes the run fail. */
  mustFail: number;
}

/** The result of `runCheck`: every check on every collection, plus the clean-up. */
export interface CheckReport {
  tool: 'idem check';
  startedAt: string;
  finishedAt: string;
  collections: string[];
  results: CheckResult[];
  cleanup: CleanupResult[];
  summary: ReportSummary;
  /** False when any MUST check failed. */
  ok: boolean;
}

/** A progress event, emitted as each check finishes (the CLI prints them to stderr). */
export interface ProgressEvent {
  phase: 'start' | 'check' | 'cleanup' | 'done';
  collection: string;
  message: string;
  result?: CheckResult;
}

/** Options of `runCheck`. */
export interface RunCheckOptions {
  /**
   * Without `openapi`: the collection URL. With `openapi`: the base URL the spec's paths are
   * relative to (used when the spec's `servers` give no absolute URL).
   */
  url: string;
  /** A valid document for the collection. Required unless `openapi` is given. */
  sample?: Record<string, unknown>;
  /** Id field of representations. Default `id`. */
  idField?: string;
  /** Clients choose ids (`PUT {collection}/{id}` creates). Default false. */
  clientIds?: boolean;
  /** Extra headers sent on every request, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** An OpenAPI 3.x document (parsed), or a file path or URL of one, to discover collections from. */
  openapi?: string | Record<string, unknown>;
  /** Only check these collection paths of the OpenAPI document (e.g. `/customers`). */
  only?: string[];
  /** Per-request timeout in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** How many identical requests the concurrent Idempotency-Key check sends at once. Default 5. */
  concurrency?: number;
  /** Called as the run progresses. */
  onProgress?: (event: ProgressEvent) => void;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
}
