/**
 * Paginators: lazy async iterators over every page of a paginated operation, built on a
 * client's call path (each page is one ordinary call, in object mode so that failures arrive
 * as typed errors). One page is in flight at a time and items are handed out as they come, so
 * memory stays flat however many items there are. See docs in README "Pagination".
 *
 * Live data between pages: a page loop reads a moving target. Records created, changed or
 * deleted while it runs can be skipped or seen twice, above all with integer offsets and with
 * PostCombinedAlertsV1 (its own description warns of it); scroll/after tokens give the most
 * stable view, and sorting on an immutable field helps.
 */
import { APIError, InvalidOperation, InvalidOption, PaginationLimitError, SDKError } from "../errors.js";
import type { PaginationState } from "../errors.js";
import type { OperationSpec } from "../operation.js";
import type { CallOptions, TimeoutSetting } from "../options.js";
import type { DictResult, Result } from "../results.js";
import type { PaginationSpec } from "./spec.js";

/** Progress after each page. */
export interface PageProgress {
  readonly pages: number;
  readonly items: number;
  /** meta.pagination.total, when the API sends it. */
  readonly total?: number;
}

/** The second argument of a paginator. */
export interface PaginateOptions<P extends boolean = boolean> {
  signal?: AbortSignal;
  /** Stop after this many items (pages are sized so no more are fetched). */
  maxItems?: number;
  /** Called after every page. */
  onPage?: (progress: PageProgress) => void;
  /** Per request, as the `timeout` of a call. */
  timeout?: TimeoutSetting;
  /** Object mode for `.pages()` (Result instead of the dict); items are the same in both. */
  pythonic?: P;
  /** Chunking of the details calls `.details()` makes (concurrency, default 4). */
  chunk?: { concurrency?: number };
}

/** What a paginator needs of a client: its call path (ServiceClass.call). */
export type CallPath = (op: OperationSpec, args: Record<string, unknown>, options: CallOptions) => Promise<unknown>;

/** The operation to page and its details operation, found on first use. */
export type OperationSource = () => Promise<{ op: OperationSpec; details?: OperationSpec }>;

/** The element type of a body's `resources`. */
export type ItemOf<Body> = Body extends { resources?: infer R }
  ? NonNullable<R> extends ReadonlyArray<infer I>
    ? I
    : unknown
  : unknown;
/** The success body type of what a call resolves to (a dict result's failure branch throws, so it adds nothing). */
export type BodyOf<R> = R extends { ok: false } ? never : R extends { body: infer B } ? B : unknown;

type Args = Record<string, unknown>;

interface Page {
  readonly result: Result<unknown>;
  readonly items: readonly unknown[];
}

/** Shared by one iteration: what it has done so far (for progress and resume). */
interface RunState {
  pages: number;
  fetched: number;
  yielded: number;
  /** Arguments of the request in flight (the resume point when it fails). */
  current: Args;
}

const isRecord = (v: unknown): v is Args => typeof v === "object" && v !== null && !Array.isArray(v);

/** Epoch seconds, milliseconds, microseconds or nanoseconds -> milliseconds. */
export function expiresAtMs(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n > 1e17) return n / 1e6;
  if (n > 1e14) return n / 1e3;
  if (n > 1e11) return n;
  return n * 1000;
}

export class Paginator<Item = unknown, PageResult = unknown, DetailItem = unknown> implements AsyncIterable<Item> {
  readonly #call: CallPath;
  readonly #source: OperationSource;
  readonly #args: Args;
  readonly #options: PaginateOptions;
  readonly #pythonic: boolean;

  constructor(
    call: CallPath,
    source: OperationSource,
    args: object | undefined,
    options: PaginateOptions | undefined,
    pythonic: boolean,
  ) {
    this.#call = call;
    this.#source = source;
    this.#args = { ...(args as Args | undefined) };
    this.#options = { ...options };
    const max = this.#options.maxItems;
    if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0))
      throw new InvalidOption("maxItems", `a whole number >= 0, got ${String(max)}`);
    this.#pythonic = options?.pythonic ?? pythonic;
  }

  /** Items, one at a time, across pages. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    const state = newState(this.#args);
    const max = this.#options.maxItems ?? Number.POSITIVE_INFINITY;
    const signal = this.#options.signal;
    for await (const page of this.#run(state)) {
      for (const item of page.items) {
        if (state.yielded >= max) return;
        // an abort stops the items of a page already received too
        signal?.throwIfAborted();
        state.yielded++;
        yield item as Item;
      }
    }
  }

  /** One success result per page (dict, or Result in object mode). */
  async *pages(): AsyncIterableIterator<PageResult> {
    const state = newState(this.#args);
    for await (const page of this.#run(state)) {
      state.yielded += page.items.length;
      yield (this.#pythonic ? page.result : { ok: true, ...page.result.fullReturn }) as PageResult;
    }
  }

  /** Every item in one array. */
  async all(): Promise<Item[]> {
    const out: Item[] = [];
    for await (const item of this) out.push(item);
    return out;
  }

  /**
   * The detail records of every id this paginator yields: ids are collected up to the details
   * operation's per-call maximum and fetched one call per batch (split further only if the URL
   * would pass 8 KB), so the calls number ceil(ids / maximum). `fn` replaces the details
   * operation with any `(ids) => call`, called once per page of ids.
   */
  details(): AsyncIterableIterator<DetailItem>;
  details<R>(fn: (ids: Item[]) => Promise<R>): AsyncIterableIterator<ItemOf<BodyOf<Awaited<R>>>>;
  async *details(fn?: (ids: Item[]) => Promise<unknown>): AsyncIterableIterator<unknown> {
    const { op, details } = await this.#source();
    let batch = Number.POSITIVE_INFINITY;
    let fetch: (ids: Item[]) => Promise<unknown>;
    if (fn) fetch = fn;
    else {
      if (!details)
        throw new InvalidOperation(
          `${op.id} has no details operation: pass .details((ids) => client.someGetOperation({ ids }))`,
        );
      batch = details.chunk?.max ?? batch;
      const chunk = { concurrency: this.#options.chunk?.concurrency };
      fetch = (ids) =>
        this.#call(
          details,
          { ids },
          { pythonic: true, signal: this.#options.signal, timeout: this.#options.timeout, chunk },
        );
    }
    let pending: Item[] = [];
    const state = newState(this.#args);
    const detailsId = fn ? "details callback" : details!.id;
    // a failed details call carries where it stopped: records yielded, and the ids it asked for
    const failed = (err: SDKError, ids: Item[]): SDKError => {
      err.pagination = { operation: detailsId, pages: state.pages, itemsYielded: state.yielded, resumeArgs: { ids } };
      return err;
    };
    const flush = async function* (ids: Item[]): AsyncGenerator<unknown> {
      let r: unknown;
      try {
        r = await fetch(ids);
      } catch (err) {
        throw SDKError.isSDKError(err) ? failed(err, ids) : err;
      }
      const body = isRecord(r) && "body" in r ? r.body : undefined;
      const status = isRecord(r) && typeof r.status_code === "number" ? r.status_code : 200;
      if (status >= 400) throw failed(detailsError(detailsId, r as DictResult<unknown>), ids);
      const res = isRecord(body) && Array.isArray(body.resources) ? body.resources : [];
      for (const record of res) {
        state.yielded++;
        yield record;
      }
    };
    // With a callback and no known maximum, each page of ids is one call.
    const sized = Number.isFinite(batch);
    let left = this.#options.maxItems ?? Number.POSITIVE_INFINITY;
    for await (const page of this.#run(state)) {
      const ids = (page.items.length > left ? page.items.slice(0, left) : page.items) as Item[];
      left -= ids.length;
      if (!sized) {
        if (ids.length) yield* flush(ids);
        continue;
      }
      for (const id of ids) pending.push(id);
      while (pending.length >= batch) {
        const take = pending.slice(0, batch);
        pending = pending.slice(batch);
        yield* flush(take);
      }
    }
    if (pending.length) yield* flush(pending);
  }

  async *#run(state: RunState): AsyncGenerator<Page> {
    const { op } = await this.#source();
    const spec = op.pagination;
    if (!spec) throw new InvalidOperation(`${op.id} is not a paginated operation`);
    const { signal, maxItems, onPage, timeout } = this.#options;
    const args = this.#args;
    const offsetStyle = spec.style === "offset";
    let position: unknown = readArg(args, spec.param, spec.in);
    let offset = offsetStyle ? Number(position ?? 0) || 0 : 0;
    const given = spec.limitParam ? readArg(args, spec.limitParam, spec.limitIn ?? spec.in) : undefined;
    const pageSize = given !== undefined && given !== "" ? Number(given) : spec.maxLimit;
    let expires: number | undefined;
    for (;;) {
      signal?.throwIfAborted();
      let limit = pageSize;
      if (maxItems !== undefined) {
        const left = maxItems - state.fetched;
        if (left <= 0) return;
        if (limit !== undefined) limit = Math.min(limit, left);
      }
      if (offsetStyle && spec.cap !== undefined) {
        if (offset >= spec.cap) throw this.#state(op, capError(op, spec, offset), state);
        if (limit !== undefined && offset + limit > spec.cap) limit = spec.cap - offset;
      }
      if (expires !== undefined && Date.now() >= expires) {
        const err = new PaginationLimitError(
          op.id,
          "token-expired",
          `${op.id}: pagination token expired at ${new Date(expires).toISOString()} before the next page was requested (after ${state.pages} pages): the consumer held the iterator too long; start again, or consume faster`,
        );
        throw this.#state(op, err, state);
      }
      const pageArgs = { ...args };
      if (offsetStyle) writeArg(pageArgs, spec.param, spec.in, paramIsString(op, spec.param) ? String(offset) : offset);
      else if (position !== undefined) writeArg(pageArgs, spec.param, spec.in, position);
      if (limit !== undefined && spec.limitParam)
        writeArg(
          pageArgs,
          spec.limitParam,
          spec.limitIn ?? spec.in,
          paramIsString(op, spec.limitParam) ? String(limit) : limit,
        );
      state.current = pageArgs;
      let result: Result<unknown>;
      try {
        result = (await this.#call(op, pageArgs, { pythonic: true, signal, timeout, chunk: false })) as Result<unknown>;
      } catch (err) {
        if (SDKError.isSDKError(err)) this.#state(op, err, state);
        throw err;
      }
      const items = itemsAt(result.body, spec.items);
      state.pages++;
      state.fetched += items.length;
      const meta = isRecord(result.meta) && isRecord(result.meta.pagination) ? result.meta.pagination : {};
      const total = typeof meta.total === "number" ? meta.total : undefined;
      onPage?.({ pages: state.pages, items: state.fetched, ...(total !== undefined ? { total } : {}) });
      yield { result, items };
      if (items.length === 0) return;
      if (offsetStyle) {
        offset += items.length;
        if (total !== undefined && offset >= total) return;
        continue;
      }
      if (total !== undefined && state.fetched >= total) return;
      const next = spec.token ? meta[spec.token] : undefined;
      if (next === undefined || next === null || next === "" || next === position) return;
      position = next;
      expires = expiresAtMs(meta.expires_at);
    }
  }

  /** Attaches where the iteration stopped to an error it throws. */
  #state<E extends SDKError>(op: OperationSpec, err: E, state: RunState): E {
    const api = err as SDKError & { status?: number; headers?: Record<string, string>; body?: unknown };
    const traceId = api.headers?.["x-cs-traceid"] ?? traceOf(api.body);
    const info: PaginationState = {
      operation: op.id,
      pages: state.pages,
      itemsYielded: state.yielded,
      resumeArgs: state.current,
      ...(typeof api.status === "number" ? { status: api.status } : {}),
      ...(traceId ? { traceId } : {}),
    };
    err.pagination = info;
    return err;
  }
}

function newState(args: Args): RunState {
  return { pages: 0, fetched: 0, yielded: 0, current: args };
}

/** The page's items: `resources`, or the list at the table's dotted `items` path. */
function itemsAt(body: unknown, path: string | undefined): unknown[] {
  let v: unknown = body;
  for (const key of (path ?? "resources").split(".")) v = isRecord(v) ? v[key] : undefined;
  return Array.isArray(v) ? v : [];
}

function traceOf(body: unknown): string | undefined {
  const t = isRecord(body) && isRecord(body.meta) ? body.meta.trace_id : undefined;
  return typeof t === "string" ? t : undefined;
}

function paramIsString(op: OperationSpec, name: string): boolean {
  return op.params.some((p) => p.name === name && p.type === "string");
}

/** A query keyword (or `parameters` entry), or a body property (explicit `body` or keyword). */
function readArg(args: Args, name: string, where: "query" | "body"): unknown {
  if (args[name] !== undefined) return args[name];
  const container = where === "query" ? args.parameters : args.body;
  return isRecord(container) ? container[name] : undefined;
}

function writeArg(args: Args, name: string, where: "query" | "body", value: unknown): void {
  if (where === "body" && isRecord(args.body)) {
    args.body = { ...args.body, [name]: value };
    return;
  }
  if (where === "query" && isRecord(args.parameters) && name in args.parameters) {
    const { [name]: _dropped, ...rest } = args.parameters;
    void _dropped;
    args.parameters = rest;
  }
  args[name] = value;
}

function capError(op: OperationSpec, spec: PaginationSpec, offset: number): PaginationLimitError {
  const instead = spec.alternative
    ? ` Use ${spec.alternative}, which pages past it (scroll / after token), or narrow the filter.`
    : " Narrow the filter (or sort and page by a field) to see the rest.";
  return new PaginationLimitError(
    op.id,
    "offset-cap",
    `${op.id}: the API refuses offset + limit beyond ${spec.cap!.toLocaleString("en-US")} and ${offset.toLocaleString("en-US")} items have been read; stopped before that request.${instead}`,
    spec.alternative,
  );
}

/** A details callback that resolved to a failed dict result: thrown, as every iterator failure. */
function detailsError(id: string, r: DictResult<unknown>): APIError {
  const errors = isRecord(r.body) && Array.isArray(r.body.errors) ? (r.body.errors as { message?: string }[]) : [];
  const detail = errors
    .map((e) => e?.message)
    .filter(Boolean)
    .join("; ");
  return new APIError(r.status_code, `${id}: HTTP ${r.status_code}${detail ? `: ${detail}` : ""}`, r.body, r.headers);
}
