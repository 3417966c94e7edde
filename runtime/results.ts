/**
 * Results: dict mode returns `DictResult` for every HTTP status (FalconPy's dictionary);
 * object mode (`pythonic`) returns a `Result` and throws `APIError` for status >= 400.
 */
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

/** FalconPy's error body: what network failures and SDK-side refusals return in dict mode. */
export interface ErrorBody {
  errors: APIErrorEntry[];
  resources: unknown[];
}

type Resources<B> = B extends { resources?: infer R } ? (NonNullable<R> extends readonly unknown[] ? NonNullable<R> : unknown[]) : unknown[];
type Item<B> = Resources<B> extends ReadonlyArray<infer I> ? I : unknown;
type Meta<B> = B extends { meta?: infer M } ? M : Record<string, unknown> | undefined;

interface Pagination {
  offset?: number | string;
  limit?: number;
  total?: number;
  after?: string;
}

function field(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null && !ArrayBuffer.isView(body) ? (body as Record<string, unknown>)[key] : undefined;
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
    return items.filter((item) => (typeof item === "string" ? item : JSON.stringify(item) ?? "").includes(filter));
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
  : DictResult<S extends true ? ReadableStream<Uint8Array> : Body>;

/** FalconPy's generate_error_result: a result carrying one error message. */
export function errorResult(message: string, status = 500, headers: Record<string, string> = {}): DictResult<ErrorBody> {
  return { status_code: status, headers, body: { errors: [{ message }], resources: [] } };
}
