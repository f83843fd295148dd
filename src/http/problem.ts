import { problemKinds, problemType, type ProblemKind } from './problem-types.js';

/** A field-level error, pointing into the request document with a JSON Pointer (RFC 6901). */
export interface FieldError {
  pointer: string;
  message: string;
}

/** An RFC 9457 problem details object, with idem's extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  missing?: string[];
  /** The ETag of the state the request was checked against; null when the resource does not exist. */
  currentEtag?: string | null;
  currentVersion?: number | null;
  [extension: string]: unknown;
}

/** Extension members a problem may carry besides the standard ones. */
export type ProblemExtensions = Omit<Partial<Problem>, 'type' | 'title' | 'status' | 'detail'>;

/** Media type of every error body (RFC 9457 §3). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json; charset=utf-8';

/**
 * An error that carries the problem it becomes on the wire. The engine throws these from
 * anywhere in a request; the request handler turns them into a response in one place.
 */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly problem: Problem;
  /** Extra response headers the problem needs (Allow, Retry-After, Accept-Patch, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(kind: ProblemKind, detail: string, extensions: ProblemExtensions = {}, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.kind = kind;
    this.headers = headers;
    const { status, title } = problemKinds[kind];
    this.problem = { type: problemType(kind), title, status, detail, ...extensions };
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Build a problem without throwing. */
export function problem(kind: ProblemKind, detail: string, extensions: ProblemExtensions = {}): Problem {
  return new ProblemError(kind, detail, extensions).problem;
}
