/**
 * ID chunking: a call given more ids than its operation takes at once (the table's
 * `chunk.max`), or so many that the URL would pass 8 KB, is split into calls sent a few at a
 * time and merged into one result in input order. `chunkStep` runs in front of the pipeline
 * (ClientCore.call), so in front of validation: each chunk is validated on its own.
 */
import { APIError, InvalidOption, PayloadValidationError } from "../errors.js";
import type { OperationSpec } from "../operation.js";
import type { CallOptions } from "../options.js";
import { baseUrlFor, compileOperation, encodeStrict, routeRequest } from "../payload.js";
import { Result } from "../results.js";
import type { DictResult } from "../results.js";
import type { ChunkSpec } from "./spec.js";

/** Longest URL a chunk may make (gateways refuse 8 KB request lines with 414). */
export const MAX_URL_LENGTH = 8192;
const DEFAULT_CONCURRENCY = 4;

/** Sends one chunk through the pipeline (dict mode, no further chunking). */
export type SendChunk = (args: Record<string, unknown>, options: CallOptions) => Promise<unknown>;

type Args = Record<string, unknown>;

/** Where the caller put the ids (keyword, `parameters`, or `body`) and their list. */
interface IdsPlace {
  readonly where: "keyword" | "parameters" | "body";
  readonly ids: readonly unknown[];
}

function idsOf(spec: ChunkSpec, args: Args): IdsPlace | undefined {
  const list = (v: unknown): unknown[] | undefined =>
    Array.isArray(v)
      ? v
      : typeof v === "string" && spec.in === "query"
        ? v.split(",").filter((s) => s !== "")
        : undefined;
  const keyword = list(args[spec.param]);
  if (keyword) return { where: "keyword", ids: keyword };
  const container = spec.in === "query" ? args.parameters : args.body;
  if (container && typeof container === "object" && !Array.isArray(container)) {
    const inside = list((container as Args)[spec.param]);
    if (inside) return { where: spec.in === "query" ? "parameters" : "body", ids: inside };
  }
  return undefined;
}

function withIds(spec: ChunkSpec, args: Args, place: IdsPlace, ids: readonly unknown[]): Args {
  if (place.where === "keyword") return { ...args, [spec.param]: ids };
  const key = place.where;
  return { ...args, [key]: { ...(args[key] as Args), [spec.param]: ids } };
}

/** Readable (safe to split by default): GET/HEAD, or a POST reviewed as read-only. */
export function isRead(op: OperationSpec): boolean {
  return op.method === "GET" || op.method === "HEAD" || op.readOnly === true;
}

/**
 * Splits `ids` into runs of at most `max`, each also within `urlBudget` (the URL length left
 * for ids, when they travel in the URL): an id costs its encoded length plus its separator.
 */
export function splitIds(
  ids: readonly unknown[],
  max: number,
  urlBudget: number | undefined,
  perIdOverhead: number,
): unknown[][] {
  const out: unknown[][] = [];
  let run: unknown[] = [];
  let used = 0;
  for (const id of ids) {
    const cost = urlBudget === undefined ? 0 : encodeStrict(String(id)).length + perIdOverhead;
    if (run.length > 0 && (run.length >= max || (urlBudget !== undefined && used + cost > urlBudget))) {
      out.push(run);
      run = [];
      used = 0;
    }
    run.push(id);
    used += cost;
  }
  if (run.length) out.push(run);
  return out;
}

/** A client's call entry: one operation with the caller's arguments, shaped by mode. */
export type CallEntry = (operation: OperationSpec, args: unknown, options: CallOptions | undefined) => Promise<unknown>;

/**
 * The ID-chunking step, in front of `next` (the pipeline's routing and validation): a call
 * whose ids do not fit one request becomes chunked calls through `next`; any other call goes
 * to `next` unchanged (operations without chunk data pay one property check).
 */
export function chunkStep(next: CallEntry, baseUrl: () => string, pythonic: boolean): CallEntry {
  return (operation, args, options) => {
    if (operation.chunk !== undefined && args !== null && (typeof args === "object" || typeof args === "string")) {
      // FalconPy's positional ids (`(ids, options?)`) are the `ids` keyword: chunked the same way
      const keywords = (typeof args === "string" || Array.isArray(args) ? { ids: args } : args) as Args;
      const split = chunkedCall(operation, keywords, options, baseUrl(), options?.pythonic ?? pythonic, (a, o) =>
        next(operation, a, o),
      );
      if (split !== undefined) return split;
    }
    return next(operation, args, options);
  };
}

/**
 * The chunked call, or undefined when the ids fit one call (the caller then sends it as
 * usual). Rejects with PayloadValidationError for a mutating operation over its maximum unless
 * the caller asked for chunking explicitly (a rejection, as every call's bad input is).
 */
export function chunkedCall(...call: Parameters<typeof planChunks>): Promise<unknown> | undefined {
  try {
    return planChunks(...call);
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

function planChunks(
  op: OperationSpec,
  args: Args | undefined,
  options: CallOptions | undefined,
  baseUrl: string,
  pythonic: boolean,
  send: SendChunk,
): Promise<unknown> | undefined {
  const spec = op.chunk;
  if (spec === undefined || args === undefined || options?.chunk === false) return undefined;
  const place = idsOf(spec, args);
  if (place === undefined || place.ids.length < 2) return undefined;
  const ids = place.ids;
  // a value no id can be is left to the router, which names it (PayloadValidationError)
  if (!ids.every(isIdValue)) return undefined;
  const max = spec.max ?? Number.POSITIVE_INFINITY;
  if (ids.length <= max && (spec.in === "body" || urlUpperBound(op, args, spec, ids, baseUrl) <= MAX_URL_LENGTH))
    return undefined;
  let urlBudget: number | undefined;
  let perId = 0;
  if (spec.in === "query") {
    const param = op.params.find((p) => p.name === spec.param);
    const multi = param?.collectionFormat === "multi";
    // "&ids=" per id for repeated keys, one encoded comma for csv
    perId = multi ? spec.param.length + 2 : 3;
    // the URL with one empty id: every id then adds its encoded length and a separator
    const fixed =
      baseUrlFor(op, baseUrl).length + routeRequest(compileOperation(op), withIds(spec, args, place, [""])).path.length;
    urlBudget = MAX_URL_LENGTH - fixed;
  }
  const overMax = ids.length > max;
  const chunks = splitIds(ids, max, urlBudget, perId);
  if (chunks.length < 2) return undefined;
  if (!isRead(op) && options?.chunk === undefined) {
    const why = overMax
      ? `${ids.length} ids exceed ${op.id}'s maximum of ${max} per call`
      : `${ids.length} ids make the URL longer than ${MAX_URL_LENGTH} bytes`;
    throw new PayloadValidationError(op.id, [
      {
        path: [spec.param],
        message: `${why}; ${op.method} ${op.path} changes data, so it is split into ${chunks.length} calls only when you pass { chunk: {} } (a partial failure of a split call cannot be retried safely)`,
      },
    ]);
  }
  const concurrency = options?.chunk?.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new InvalidOption("chunk.concurrency", `a whole number >= 1, got ${String(concurrency)}`);
  const chunkOptions: CallOptions = { ...options, pythonic: false, chunk: false };
  return runChunks(
    chunks.map((c) => withIds(spec, args, place, c)),
    concurrency,
    (a) => send(a, chunkOptions) as Promise<DictResult<unknown>>,
  ).then((results) => {
    const merged = mergeResults(results);
    if (!pythonic) return merged;
    if (merged.status_code >= 400) {
      const messages = (merged.body.errors as { message?: string }[]).map((e) => e.message).filter(Boolean);
      throw new APIError(
        merged.status_code,
        `${op.id}: HTTP ${merged.status_code} in ${results.filter((r) => r.status_code >= 400).length} of ${results.length} chunks${messages.length ? `: ${messages.join("; ")}` : ""}`,
        merged.body,
        merged.headers,
      );
    }
    return new Result(merged.status_code, merged.headers, merged.body);
  });
}

function isIdValue(v: unknown): boolean {
  return typeof v === "string" || typeof v === "number";
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
/** Worst-case percent-encoded length per UTF-16 unit (a 3-byte character: %XX%XX%XX). */
const WORST_ENCODING = 9;

/**
 * An upper bound of the URL a call makes, without routing it: the common case (ids within the
 * maximum, a URL far from 8 KB) costs a join and one regex, not a second routing of the call.
 */
function urlUpperBound(
  op: OperationSpec,
  args: Args,
  spec: ChunkSpec,
  ids: readonly unknown[],
  baseUrl: string,
): number {
  const joined = ids.join("");
  let total =
    baseUrl.length +
    op.path.length +
    1 +
    ids.length * (spec.param.length + 2) +
    joined.length * (UNRESERVED.test(joined) ? 1 : WORST_ENCODING);
  const add = (values: Args) => {
    for (const k in values) {
      if (k === spec.param || k === "body" || k === "parameters" || k === "headers") continue;
      const v = values[k];
      if (v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))) continue;
      total += k.length + 2 + String(v).length * WORST_ENCODING;
    }
  };
  add(args);
  if (args.parameters && typeof args.parameters === "object") add(args.parameters as Args);
  return total;
}

/** Runs every chunk, at most `concurrency` at once; results in input order. */
async function runChunks<T>(
  chunks: readonly Args[],
  concurrency: number,
  send: (args: Args) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(chunks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const i = next++;
      results[i] = await send(chunks[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return results;
}

type Body = Record<string, unknown> & { resources: unknown[]; errors: unknown[] };

function asBody(r: DictResult<unknown>): Record<string, unknown> {
  const b = r.body;
  if (b && typeof b === "object" && !Array.isArray(b) && !ArrayBuffer.isView(b)) return b as Record<string, unknown>;
  // a text error page: keep its text as the error message, as every failure body has errors[]
  return { errors: b === undefined || b === "" ? [] : [{ code: r.status_code, message: String(b) }], resources: [] };
}

/**
 * One result from the chunks' results: resources and errors concatenated in input order, the
 * first chunk's meta with query_time summed, the highest status, the last chunk's headers,
 * `ok` false when any chunk failed (where results carry `ok`).
 */
export function mergeResults(results: readonly DictResult<unknown>[]): DictResult<Body> {
  const bodies = results.map(asBody);
  const first = bodies[0] ?? {};
  const resources: unknown[] = [];
  const errors: unknown[] = [];
  let queryTime: number | undefined;
  for (const b of bodies) {
    if (Array.isArray(b.resources)) for (const r of b.resources) resources.push(r);
    if (Array.isArray(b.errors)) for (const e of b.errors) errors.push(e);
    const qt = (b.meta as { query_time?: unknown } | undefined)?.query_time;
    if (typeof qt === "number") queryTime = (queryTime ?? 0) + qt;
  }
  const body: Body = { ...first, resources, errors };
  if (first.meta && typeof first.meta === "object")
    body.meta = { ...(first.meta as object), ...(queryTime !== undefined ? { query_time: queryTime } : {}) };
  const merged: DictResult<Body> = {
    status_code: Math.max(...results.map((r) => r.status_code)),
    headers: results[results.length - 1]?.headers ?? {},
    body,
  };
  if (results.some((r) => "ok" in r))
    (merged as DictResult<Body> & { ok: boolean }).ok = results.every((r) => (r as { ok?: boolean }).ok !== false);
  return merged;
}
