/**
 * Pagination and ID-chunking data per operation, derived from the spec: the request's position
 * parameters (offset, after, next_token, in the query or the body), their types and limits, the
 * success response's meta.pagination schema, the ids parameter's maxItems or "maximum N" phrase.
 * spec/pagination-overrides.ts and spec/chunk-maxima.ts settle what the spec does not say.
 * Output is data (written into each operation table entry) plus a report: how many operations
 * got each style, and every operation the rules could not classify.
 */
import {
  AGGREGATE_FROM_SIZE_REASON,
  CAP_ALTERNATIVES,
  DETAILS_PAIRS,
  PAGINATION_OVERRIDES,
} from "../spec/pagination-overrides.js";
import { CHUNK_MAXIMA } from "../spec/chunk-maxima.js";
import type { HttpMethod, SwaggerDocument, SwaggerParameter, SwaggerSchema } from "../spec/swagger.js";
import type { ChunkSpec, PaginationSpec, PaginationStyle } from "../runtime/paginate/spec.js";
import { buildModel, resolveRef, type SpecModel } from "./model.js";

/** Falcon refuses integer offsets where offset + limit exceeds this. */
export const OFFSET_CAP = 10_000;

export interface OperationPaging {
  readonly pagination?: PaginationSpec;
  readonly chunk?: ChunkSpec;
}

export interface PaginationReport {
  /** Style -> number of operations. */
  readonly counts: Readonly<Record<PaginationStyle, number>>;
  /** Operations an override marks as not paged, with the reason. */
  readonly settledNone: readonly string[];
  /** Operations with pagination signals that neither the rules nor the overrides settle. */
  readonly unclassified: readonly string[];
  /** Reviewed entries (spec/) naming operations this spec lacks. */
  readonly stale: readonly string[];
  /** Operations with ids split into chunks: with a known maximum, and bounded by URL length only. */
  readonly chunked: { readonly withMax: number; readonly urlBoundOnly: number };
  readonly detailsPairs: number;
}

export interface PagingData {
  readonly byId: ReadonlyMap<string, OperationPaging>;
  readonly report: PaginationReport;
}

interface SpecOp {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly tag: string;
  readonly params: readonly SwaggerParameter[];
  readonly body: SwaggerSchema | undefined;
  readonly meta: Readonly<Record<string, SwaggerSchema>>;
  /** Top-level properties of the success body. */
  readonly success: Readonly<Record<string, SwaggerSchema>>;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "maximum 100 IDs", "(max: 400)", "up to 500", "Max: 100", "limited to 100", "[1-100]", "max: 500)". */
const MAX_PHRASE =
  /(?:\bmax(?:imum)?(?:\s+amount\s+is|\s+of|\s+number\s+of\s+\w+\s+that\s+can\s+be\s+requested\s+at\s+once\s+is)?\s*[:=]?\s*`?|\bup\s+to\s+|\blimited\s+to\s+|\[1\s*-\s*)(\d[\d,]*)/i;

export function maximumFromText(text: string | undefined): number | undefined {
  const m = text ? MAX_PHRASE.exec(text) : null;
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ""));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function properties(doc: SwaggerDocument, schema: SwaggerSchema | undefined): Record<string, SwaggerSchema> {
  const s = resolveRef(doc, schema);
  if (!s) return {};
  const out: Record<string, SwaggerSchema> = { ...(s.properties ?? {}) };
  for (const part of s.allOf ?? []) Object.assign(out, properties(doc, part));
  return out;
}

/** The model's operations (issue 11's naming applied), with what paging reads from their responses. */
function specOps(doc: SwaggerDocument, model: SpecModel): SpecOp[] {
  const out: SpecOp[] = [];
  const seen = new Set<string>();
  for (const op of model.tags.flatMap((t) => t.ops)) {
    if (seen.has(op.id)) continue;
    seen.add(op.id);
    const responses = doc.paths[op.path]?.[op.method.toLowerCase() as HttpMethod]?.responses ?? {};
    const bodyParam = op.params.find((p) => p.in === "body");
    const code = Object.keys(responses)
      .filter((c) => /^2\d\d$/.test(c))
      .sort()[0];
    const success = code ? (responses[code]!.schema as SwaggerSchema | undefined) : undefined;
    const top = properties(doc, success);
    const meta = properties(doc, top.meta);
    out.push({
      id: op.id,
      method: op.method,
      path: op.path,
      tag: op.tag,
      params: op.params,
      body: bodyParam ? resolveRef(doc, bodyParam.schema) : undefined,
      meta: properties(doc, meta.pagination),
      success: top,
    });
  }
  return out;
}

type BaseSpec = Pick<PaginationSpec, "style" | "param" | "in" | "token">;
type Classified = { spec: BaseSpec } | { none: string } | { unclassified: string };

/** The rules, in order; each names the signal it reads. */
function classify(doc: SwaggerDocument, op: SpecOp): Classified {
  const query = new Map(op.params.filter((p) => p.in === "query").map((p) => [p.name, p]));
  const body = properties(doc, op.body);
  const meta = op.meta;
  const metaType = (name: string) => resolveRef(doc, meta[name])?.type;
  if (body.after && resolveRef(doc, body.after)?.type === "string")
    return { spec: { style: "body-after", param: "after", in: "body", token: "after" } };
  if (query.has("next_token") && meta.next_token)
    return { spec: { style: "next-token", param: "next_token", in: "query", token: "next_token" } };
  if (query.has("after") && meta.after)
    return { spec: { style: "after", param: "after", in: "query", token: "after" } };
  const offset = query.get("offset");
  if (offset?.type === "string") {
    if (metaType("offset") === "string" || meta.expires_at)
      return { spec: { style: "offset-token", param: "offset", in: "query", token: "offset" } };
    if (meta.next_page) return { spec: { style: "next-page", param: "offset", in: "query", token: "next_page" } };
    return { spec: { style: "offset", param: "offset", in: "query" } };
  }
  if (offset?.type === "integer" || offset?.type === "number")
    return { spec: { style: "offset", param: "offset", in: "query" } };
  // `after` in the query without a declared meta.pagination.after: the token still comes back there.
  if (query.has("after")) return { spec: { style: "after", param: "after", in: "query", token: "after" } };
  if (body.from && body.size && /\/aggregates\//.test(op.path)) return { none: AGGREGATE_FROM_SIZE_REASON };
  // Request-side signals only: many entity reads declare meta.pagination without taking a position back.
  const signals = [
    ...["skip", "start", "next_token", "page", "cursor", "marker"].filter((n) => query.has(n)).map((n) => `query ${n}`),
    ...["search_after", "from", "offset", "next_token"].filter((n) => body[n]).map((n) => `body ${n}`),
  ];
  return signals.length ? { unclassified: signals.join(", ") } : { none: "" };
}

/**
 * Where a page's items are: `resources` when it is a list (undefined: the default), the one list
 * inside an object `resources` (`resources.events`), else the one top-level list; "unknown" when
 * the body declares lists but not one of them is clearly the items.
 */
function itemsOf(doc: SwaggerDocument, op: SpecOp): string | undefined | "unknown" {
  const lists = (props: Record<string, SwaggerSchema>) =>
    Object.keys(props).filter((k) => k !== "errors" && resolveRef(doc, props[k])?.type === "array");
  const resources = resolveRef(doc, op.success.resources);
  if (Object.keys(op.success).length === 0 || resources?.type === "array") return undefined;
  if (resources?.type === "object") {
    const inner = lists(properties(doc, resources));
    return inner.length === 1 ? `resources.${inner[0]}` : "unknown";
  }
  const top = lists(op.success as Record<string, SwaggerSchema>);
  return top.length === 1 ? top[0] : "unknown";
}

function limitOf(
  doc: SwaggerDocument,
  op: SpecOp,
  where: "query" | "body",
): { name: string; max?: number } | undefined {
  if (where === "body") {
    const limit = properties(doc, op.body).limit;
    if (!limit) return undefined;
    const s = resolveRef(doc, limit);
    return { name: "limit", max: (s?.maximum as number | undefined) ?? maximumFromText(s?.description) };
  }
  const p = op.params.find((q) => q.in === "query" && q.name === "limit");
  if (!p) return undefined;
  return { name: "limit", max: (p.maximum as number | undefined) ?? maximumFromText(p.description) };
}

/** queries/X/vN -> entities/X/vM (GET with ids, newest version), else entities/X/GET/vM (POST body ids). */
function pairedDetails(doc: SwaggerDocument, op: SpecOp, sameTag: readonly SpecOp[]): string | undefined {
  const m = /^(.*)\/queries\/([^/]+)\/v\d+$/.exec(op.path);
  if (!m) return undefined;
  const [, prefix, name] = m;
  const version = (path: string) => Number(/\/v(\d+)$/.exec(path)?.[1] ?? 0);
  const gets = sameTag
    .filter(
      (o) =>
        o.method === "GET" &&
        new RegExp(`^${escapeRegExp(prefix!)}/entities/${escapeRegExp(name!)}/v\\d+$`).test(o.path),
    )
    .filter((o) => o.params.some((p) => p.in === "query" && p.name === "ids" && p.type === "array" && p.required))
    .sort((a, b) => version(b.path) - version(a.path));
  if (gets[0]) return gets[0].id;
  const posts = sameTag
    .filter(
      (o) =>
        o.method === "POST" &&
        new RegExp(`^${escapeRegExp(prefix!)}/entities/${escapeRegExp(name!)}/GET/v\\d+$`).test(o.path) &&
        properties(doc, o.body).ids,
    )
    .sort((a, b) => version(b.path) - version(a.path));
  return posts[0]?.id;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function chunkOf(doc: SwaggerDocument, op: SpecOp): ChunkSpec | undefined {
  const reviewed = CHUNK_MAXIMA[op.id]?.max;
  const q = op.params.find((p) => p.in === "query" && p.name === "ids" && p.type === "array");
  if (q) {
    const max = reviewed ?? (q.maxItems as number | undefined) ?? maximumFromText(q.description);
    return { param: "ids", in: "query", ...(max ? { max } : {}) };
  }
  const ids = properties(doc, op.body).ids;
  const s = resolveRef(doc, ids);
  if (s?.type !== "array") return undefined;
  const bodyParam = op.params.find((p) => p.in === "body");
  const max =
    reviewed ??
    (s.maxItems as number | undefined) ??
    maximumFromText(s.description) ??
    maximumFromText(bodyParam?.description);
  // A body of ids with no known maximum is sent whole: no URL to keep short.
  return max ? { param: "ids", in: "body", max } : undefined;
}

/** Pagination and chunking data for every operation of the model (built from the patched spec `doc`). */
export function pagingData(doc: SwaggerDocument, model: SpecModel = buildModel(doc, undefined)): PagingData {
  const ops = specOps(doc, model);
  const ids = new Set(ops.map((o) => o.id));
  // Another spec (a console's swagger.json) may lack reviewed operations: reported, not fatal.
  const stale = [PAGINATION_OVERRIDES, DETAILS_PAIRS, CAP_ALTERNATIVES, CHUNK_MAXIMA]
    .flatMap((t) => Object.keys(t))
    .filter((id) => !ids.has(id));
  const byTag = new Map<string, SpecOp[]>();
  for (const op of ops) byTag.set(op.tag, [...(byTag.get(op.tag) ?? []), op]);
  const counts: Record<PaginationStyle, number> = {
    offset: 0,
    "offset-token": 0,
    after: 0,
    "body-after": 0,
    "next-token": 0,
    "next-page": 0,
  };
  const settledNone: string[] = [];
  const unclassified: string[] = [];
  const byId = new Map<string, OperationPaging>();
  let withMax = 0;
  let urlBoundOnly = 0;
  let detailsPairs = 0;
  for (const op of ops.sort((a, b) => byString(a.id, b.id))) {
    const override = PAGINATION_OVERRIDES[op.id];
    const found = classify(doc, op);
    let base: BaseSpec | undefined;
    if (override?.style === "none") settledNone.push(op.id);
    else if (override) {
      const param = override.param ?? ("spec" in found ? found.spec.param : "offset");
      base = {
        style: override.style,
        param,
        in: override.in ?? "query",
        ...(override.token ? { token: override.token } : {}),
      };
    } else if ("spec" in found) base = found.spec;
    else if ("unclassified" in found) unclassified.push(`${op.id} (${op.method} ${op.path}): ${found.unclassified}`);
    const items =
      override && override.style !== "none" && override.items ? override.items : base ? itemsOf(doc, op) : undefined;
    if (base && items === "unknown") {
      unclassified.push(
        `${op.id} (${op.method} ${op.path}): ${base.style}, but which list of the body holds the items is unclear`,
      );
      base = undefined;
    }
    let pagination: PaginationSpec | undefined;
    if (base) {
      counts[base.style]++;
      const limit = limitOf(doc, op, base.in === "body" ? "body" : "query");
      const sameTag = byTag.get(op.tag)!;
      const details = DETAILS_PAIRS[op.id]?.details ?? pairedDetails(doc, op, sameTag);
      if (details) detailsPairs++;
      const alternative =
        base.style === "offset"
          ? (CAP_ALTERNATIVES[op.id]?.alternative ?? sameTag.find((o) => o.id === `${op.id}Scroll`)?.id)
          : undefined;
      pagination = {
        ...base,
        ...(limit ? { limitParam: limit.name, limitIn: base.in, ...(limit.max ? { maxLimit: limit.max } : {}) } : {}),
        ...(base.style === "offset" ? { cap: OFFSET_CAP } : {}),
        ...(alternative ? { alternative } : {}),
        ...(items ? { items } : {}),
        ...(details ? { details } : {}),
      };
    }
    const chunk = chunkOf(doc, op);
    if (chunk) {
      if (chunk.max) withMax++;
      else urlBoundOnly++;
    }
    if (pagination || chunk) byId.set(op.id, { ...(pagination ? { pagination } : {}), ...(chunk ? { chunk } : {}) });
  }
  return {
    byId,
    report: {
      counts,
      settledNone,
      unclassified,
      stale: [...new Set(stale)].sort(byString),
      chunked: { withMax, urlBoundOnly },
      detailsPairs,
    },
  };
}

/** The table-entry lines for an operation's paging data (none when it has none). */
export function pagingFields(paging: OperationPaging | undefined): string[] {
  if (!paging) return [];
  const lines: string[] = [];
  const obj = (o: object) =>
    `{ ${Object.entries(o)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(", ")} }`;
  if (paging.pagination) lines.push(`pagination: ${obj(paging.pagination)},`);
  if (paging.chunk) lines.push(`chunk: ${obj(paging.chunk)},`);
  return lines;
}

/** One line per style and the unsettled operations, for the generator's output. */
export function reportLines(report: PaginationReport): string[] {
  const styles = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  return [
    `pagination: ${total} paginated operations (${styles}); ${report.settledNone.length} settled as not paged by spec/pagination-overrides.ts; ${report.detailsPairs} with a details operation`,
    `chunking: ${report.chunked.withMax} operations with an ids maximum, ${report.chunked.urlBoundOnly} bounded by URL length only`,
    ...report.unclassified.map((u) => `unclassified pagination: ${u} (settle it in spec/pagination-overrides.ts)`),
    ...(report.stale.length
      ? [`pagination tables in spec/ name operations this spec lacks (ignored): ${report.stale.join(", ")}`]
      : []),
  ];
}

/** The TypeScript item type at a dotted `items` path of a response type (undefined: `resources`' elements, the default). */
export function itemTypeAt(responseType: string, items: string | undefined): string | undefined {
  if (!items) return undefined;
  return `${items.split(".").reduce((t, key) => `NonNullable<${t}>[${JSON.stringify(key)}]`, responseType)} extends ReadonlyArray<infer I> ? I : unknown`;
}
