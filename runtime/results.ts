/**
 * Results: dict mode returns a result for every HTTP status (FalconPy's dictionary) whose body
 * is typed as the operation's success body only once success is checked (`ok`, or a 2xx
 * `status_code`); object mode (`pythonic`) returns a `Result` and throws `APIError` for status >= 400.
 */
import { redact, type SecretRedactor } from "./redact.js";

/** The wire shape of an answer: FalconPy's dictionary (token and revoke results keep this loose form). */
export interface DictResult<Body> {
  status_code: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  body: Body;
}

/** The `errors` entries of a Falcon response body. */
export interface APIErrorEntry {
  code?: number;
  message: string;
  [key: string]: unknown;
}

/**
 * The body of every failure in dict mode: API errors, failed logins, network errors, timeouts,
 * non-JSON error pages (their text, redacted and capped, is the message). `errors` has at least
 * one entry; the API's other keys are kept.
 */
export interface ErrorBody {
  meta: Record<string, unknown>;
  errors: APIErrorEntry[];
  resources: unknown[];
  [key: string]: unknown;
}

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type StatusOf<Hundreds extends number> = `${Hundreds}${Digit}${Digit}` extends `${infer N extends number}` ? N : never;
/** 200-299: the status codes of a success (`ok` true). */
export type SuccessStatus = StatusOf<2>;
/** 100-199 and 300-599: every other status an answer (or the SDK, for a failure without one) carries. */
export type FailureStatus = StatusOf<1 | 3 | 4 | 5>;

export interface SuccessResult<Body> {
  readonly ok: true;
  status_code: SuccessStatus;
  headers: Record<string, string>;
  body: Body;
}
export interface FailureResult {
  readonly ok: false;
  status_code: FailureStatus;
  headers: Record<string, string>;
  body: ErrorBody;
}
/** A dict-mode operation result: narrow with `if (r.ok)` or `if (r.status_code === 200)` to read the success body. */
export type DictResponse<Body> = SuccessResult<Body> | FailureResult;

type Resources<B> = B extends { resources?: infer R }
  ? NonNullable<R> extends readonly unknown[]
    ? NonNullable<R>
    : unknown[]
  : unknown[];
type Item<B> = Resources<B> extends ReadonlyArray<infer I> ? I : unknown;
type Meta<B> = B extends { meta?: infer M } ? M : Record<string, unknown> | undefined;

interface Pagination {
  offset?: number | string;
  limit?: number;
  total?: number;
  after?: string;
}

function field(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null && !ArrayBuffer.isView(body)
    ? (body as Record<string, unknown>)[key]
    : undefined;
}

function toNumber(v: string | undefined): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Object-mode result (FalconPy's pythonic Result). */
export class Result<Body> implements Iterable<Item<Body>> {
  constructor(
    readonly status_code: number,
    readonly headers: Record<string, string>,
    readonly body: Body,
  ) {}

  /** The body's `resources` (an empty list when there is none). */
  get resources(): Resources<Body> {
    const r = field(this.body, "resources");
    return (Array.isArray(r) ? r : []) as Resources<Body>;
  }
  /** FalconPy's name for the resources (`result.data`). */
  get data(): Resources<Body> {
    return this.resources;
  }
  /** The resource at `index` (negative counts from the end), as FalconPy's `result[index]`; undefined past the end. */
  at(index: number): Item<Body> | undefined {
    return (this.resources as unknown as Item<Body>[]).at(index);
  }
  get meta(): Meta<Body> {
    return field(this.body, "meta") as Meta<Body>;
  }
  get errors(): APIErrorEntry[] {
    const e = field(this.body, "errors");
    return Array.isArray(e) ? (e as APIErrorEntry[]) : [];
  }
  private get pagination(): Pagination | undefined {
    return field(field(this.body, "meta"), "pagination") as Pagination | undefined;
  }
  get total(): number | undefined {
    return this.pagination?.total;
  }
  get offset(): number | string | undefined {
    return this.pagination?.offset;
  }
  get after(): string | undefined {
    return this.pagination?.after;
  }
  get limit(): number | undefined {
    return this.pagination?.limit;
  }
  /** meta.query_time, seconds. */
  get queryTime(): number | undefined {
    return field(field(this.body, "meta"), "query_time") as number | undefined;
  }
  get traceId(): string | undefined {
    return (field(field(this.body, "meta"), "trace_id") as string | undefined) ?? this.headers["x-cs-traceid"];
  }
  /** The region that answered (X-Cs-Region). */
  get region(): string | undefined {
    return this.headers["x-cs-region"];
  }
  get ratelimitLimit(): number | undefined {
    return toNumber(this.headers["x-ratelimit-limit"]);
  }
  get ratelimitRemaining(): number | undefined {
    return toNumber(this.headers["x-ratelimit-remaining"]);
  }
  /** `(status_code, headers, body)`, as FalconPy's `tupled`. */
  get tupled(): [status_code: number, headers: Record<string, string>, body: Body] {
    return [this.status_code, this.headers, this.body];
  }
  /** The dict-mode form of this result (FalconPy's `full_return`). */
  get fullReturn(): DictResult<Body> {
    return { status_code: this.status_code, headers: this.headers, body: this.body };
  }
  /**
   * The resources that match: a string keeps those whose JSON contains it (FalconPy's
   * substring prune), a function keeps those it accepts.
   */
  prune(filter: string | ((item: Item<Body>) => boolean)): Item<Body>[] {
    const items = this.resources as unknown as Item<Body>[];
    if (typeof filter === "function") return items.filter(filter);
    return items.filter((item) => (typeof item === "string" ? item : (JSON.stringify(item) ?? "")).includes(filter));
  }
  [Symbol.iterator](): Iterator<Item<Body>> {
    return (this.resources as unknown as Item<Body>[])[Symbol.iterator]();
  }
  get length(): number {
    return this.resources.length;
  }
  toJSON(): DictResult<Body> {
    return this.fullReturn;
  }
}

/** What an operation method resolves to in mode P (false: dict, true: object). */
export type Outcome<Body, P extends boolean, S extends boolean = false> = P extends true
  ? Result<S extends true ? ReadableStream<Uint8Array> : Body>
  : DictResponse<S extends true ? ReadableStream<Uint8Array> : Body>;

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** FalconPy's generate_error_result: a failure carrying one error message. */
export function errorResult(message: string, status = 500, headers: Record<string, string> = {}): DictResponse<never> {
  return {
    ok: false,
    status_code: status as FailureStatus,
    headers,
    body: { meta: {}, errors: [{ code: status, message }], resources: [] },
  };
}

/** The longest text of a non-JSON error page kept as its message. */
const PAGE_TEXT_MAX = 500;

/**
 * A failure's body in the one error shape: an API error body keeps its keys (errors and
 * resources made arrays, meta an object, at least one error entry); a text page (HTML 502)
 * becomes the message, on one line, redacted and capped; bytes are described. What a server
 * said is redacted with `redactSecrets` (a client's own secrets, which a server may echo bare).
 */
export function errorBodyOf(status: number, body: unknown, redactSecrets: SecretRedactor = redact): ErrorBody {
  const fallback = `HTTP ${status}`;
  if (typeof body === "string") {
    // redacted before it is capped: a cut through a secret would leave its start
    const one = redactSecrets(body.replace(/\s+/g, " ").trim());
    const message =
      one === "" ? fallback : `${fallback}: ${one.length > PAGE_TEXT_MAX ? `${one.slice(0, PAGE_TEXT_MAX)}...` : one}`;
    return { meta: {}, errors: [{ code: status, message }], resources: [] };
  }
  if (
    typeof body !== "object" ||
    body === null ||
    Array.isArray(body) ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream
  ) {
    const what = ArrayBuffer.isView(body) ? `${fallback} (${body.byteLength} bytes)` : fallback;
    return { meta: {}, errors: [{ code: status, message: what }], resources: [] };
  }
  const src = body as Record<string, unknown>;
  const meta = src.meta;
  const resources = src.resources;
  const errors = Array.isArray(src.errors) ? (src.errors as unknown[]).map((e) => errorEntry(status, e)) : [];
  if (errors.length === 0) {
    const message = typeof src.message === "string" && src.message ? src.message : fallback;
    errors.push({ code: status, message });
  }
  return redactSecrets({
    ...src,
    meta: typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {},
    errors,
    resources: Array.isArray(resources) ? resources : [],
  });
}

function errorEntry(status: number, e: unknown): APIErrorEntry {
  if (typeof e === "object" && e !== null && typeof (e as APIErrorEntry).message === "string")
    return e as APIErrorEntry;
  if (typeof e === "object" && e !== null) return { code: status, ...(e as object), message: JSON.stringify(e) };
  return { code: status, message: String(e) };
}

/** The dict-mode result of an answer: `ok` set, a failure's body in the one error shape (see errorBodyOf). */
export function dictResponse(r: DictResult<unknown>, redactSecrets: SecretRedactor = redact): DictResponse<unknown> {
  const ok = isSuccess(r.status_code);
  if (ok) return { ok, status_code: r.status_code as SuccessStatus, headers: r.headers, body: r.body };
  return {
    ok,
    status_code: r.status_code as FailureStatus,
    headers: r.headers,
    body: errorBodyOf(r.status_code, r.body, redactSecrets),
  };
}
