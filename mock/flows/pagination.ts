/**
 * Pagination over finite data, in each operation's own style (read from the generated
 * operation tables' `pagination` / `chunk` data):
 *  - offset: integer offsets, refused with 400 past offset + limit = 10,000 (the table's cap)
 *  - token styles (offset-token, after, body-after, next-token, next-page): opaque tokens in the
 *    query or the body, returned in meta.pagination[token]; scroll offsets (offset-token) carry
 *    `expires_at` and are refused with 400 once expired (default lifetime 2 minutes)
 *  - details ("by ids") reads: one record per id, in the order asked; more ids than the
 *    operation's maximum is a 400, as Falcon answers.
 * Interface: `new PaginationFlow(specs, world?)` and `mock.useFlow(flow)` (or `flows: [flow]`
 * at start); `loadOperationSpecs()` reads every generated table. State: the tokens it issued.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { OperationSpec } from "../../runtime/operation.js";
import type { ParsedRequest } from "../validate.js";
import type { FlowAnswer, FlowRequest, MockFlow } from "./flow.js";

/** A spec operation's request that passed validation (what the flow pages over). */
type ValidRequest = FlowRequest & { readonly parsed: ParsedRequest };

/** What the flow needs of an operation (a generated table entry fits). */
export type PagedOperation = Pick<OperationSpec, "id" | "method" | "path" | "readOnly" | "pagination" | "chunk">;

/** The finite data the flow serves. Defaults: 25 items per operation, ids `<op>-000000`... */
export interface PaginationWorld {
  /** How many items the operation has in all. */
  count?(operationId: string): number;
  /** Item `index` of a paginated operation (query routes: an id string; others: a record). */
  item?(operationId: string, index: number): unknown;
  /** The record a details operation returns for an id. */
  details?(operationId: string, id: string): unknown;
  /** Lifetime of scroll (offset-token) tokens, ms (default 120,000). */
  tokenLifetimeMs?: number;
  /** Page size when the request names none (default: the operation's maximum, else 100). */
  defaultLimit?: number;
}

interface Issued {
  readonly operationId: string;
  readonly position: number;
  readonly expiresAt?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function defaultItem(operationId: string, index: number, path: string): unknown {
  const id = `${operationId}-${String(index).padStart(6, "0")}`;
  return path.includes("/queries/") ? id : { id };
}

export class PaginationFlow implements MockFlow {
  readonly #ops: ReadonlyMap<string, PagedOperation>;
  readonly #world: PaginationWorld;
  readonly #tokens = new Map<string, Issued>();
  #seq = 0;

  constructor(operations: Iterable<PagedOperation>, world: PaginationWorld = {}) {
    this.#ops = new Map([...operations].filter((o) => o.pagination || o.chunk).map((o) => [o.id, o]));
    this.#world = world;
  }

  /** Tokens issued so far (a test can expire them). */
  get issuedTokens(): number {
    return this.#tokens.size;
  }

  handle(request: FlowRequest): FlowAnswer | undefined {
    const op = request.operationId === undefined ? undefined : this.#ops.get(request.operationId);
    if (!op || !request.parsed) return undefined;
    const valid = request as ValidRequest;
    if (op.pagination) return this.#page(op, valid);
    return this.#details(op, valid);
  }

  #count(op: PagedOperation): number {
    return this.#world.count?.(op.id) ?? 25;
  }

  #item(op: PagedOperation, i: number): unknown {
    return this.#world.item ? this.#world.item(op.id, i) : defaultItem(op.id, i, op.path);
  }

  #page(op: PagedOperation, req: ValidRequest): FlowAnswer {
    const spec = op.pagination!;
    const { query, body } = req.parsed;
    const read = (name: string, where: "query" | "body"): unknown => (where === "body" ? (isRecord(body) ? body[name] : undefined) : query[name]);
    const rawLimit = spec.limitParam ? read(spec.limitParam, spec.limitIn ?? spec.in) : undefined;
    const limit = rawLimit === undefined || rawLimit === "" ? (this.#world.defaultLimit ?? spec.maxLimit ?? 100) : Number(rawLimit);
    if (!Number.isSafeInteger(limit) || limit < 1 || (spec.maxLimit !== undefined && limit > spec.maxLimit)) {
      return error(400, `${op.id}: limit must be 1-${spec.maxLimit ?? "..."}, got ${String(rawLimit)}`, req.trace);
    }
    const total = this.#count(op);
    const raw = read(spec.param, spec.in);
    let start: number;
    if (spec.style === "offset") {
      start = raw === undefined || raw === "" ? 0 : Number(raw);
      if (!Number.isSafeInteger(start) || start < 0) return error(400, `${op.id}: invalid ${spec.param} ${String(raw)}`, req.trace);
      if (spec.cap !== undefined && start + limit > spec.cap) {
        return error(400, `${op.id}: offset + limit must not exceed ${spec.cap} (got ${start} + ${limit}); use a scroll or after endpoint for deeper pages`, req.trace);
      }
    } else if (raw === undefined || raw === "") start = 0;
    else {
      const issued = this.#tokens.get(String(raw));
      if (!issued || issued.operationId !== op.id) return error(400, `${op.id}: invalid pagination token`, req.trace);
      if (issued.expiresAt !== undefined && req.now >= issued.expiresAt) return error(400, `${op.id}: pagination token expired`, req.trace);
      start = issued.position;
    }
    const end = Math.min(total, start + limit);
    const resources: unknown[] = [];
    for (let i = start; i < end; i++) resources.push(this.#item(op, i));
    const pagination: Record<string, unknown> = { limit, total };
    if (spec.style === "offset") pagination.offset = start;
    else {
      let next = "";
      let expiresAt: number | undefined;
      if (end < total) {
        expiresAt = spec.style === "offset-token" ? req.now + (this.#world.tokenLifetimeMs ?? 120_000) : undefined;
        next = `${spec.style}-${++this.#seq}-${end}`;
        this.#tokens.set(next, { operationId: op.id, position: end, ...(expiresAt !== undefined ? { expiresAt } : {}) });
      }
      pagination[spec.token ?? spec.param] = next;
      if (expiresAt !== undefined) pagination.expires_at = expiresAt;
      if (spec.token !== "offset") pagination.offset = start;
    }
    const answer: Record<string, unknown> = { meta: { query_time: 0.001, pagination, trace_id: req.trace }, resources: [], errors: [] };
    // the items where the table says they are (`resources` unless `items` names another list)
    const path = (spec.items ?? "resources").split(".");
    let at: Record<string, unknown> = answer;
    for (const key of path.slice(0, -1)) {
      const inner: Record<string, unknown> = isRecord(at[key]) ? at[key] : {};
      at[key] = inner;
      at = inner;
    }
    at[path[path.length - 1]!] = resources;
    return { status: 200, body: answer };
  }

  #details(op: PagedOperation, req: ValidRequest): FlowAnswer | undefined {
    const spec = op.chunk!;
    const { query, body } = req.parsed;
    const value = spec.in === "query" ? query[spec.param] : isRecord(body) ? body[spec.param] : undefined;
    const ids = (Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : []).map(String);
    if (spec.max !== undefined && ids.length > spec.max) return error(400, `${op.id}: at most ${spec.max} ids per request, got ${ids.length}`, req.trace);
    if (op.method !== "GET" && op.readOnly !== true) return undefined;
    const resources = ids.map((id) => this.#world.details?.(op.id, id) ?? { id, device_id: id });
    return { status: 200, body: { meta: { query_time: 0.001, trace_id: req.trace }, resources, errors: [] } };
  }
}

function error(status: number, message: string, trace: string): FlowAnswer {
  return { status, body: { meta: { query_time: 0, trace_id: trace }, resources: [], errors: [{ code: status, message }] } };
}

/** Every operation of the generated tables (imports each collection module once). */
export async function loadOperationSpecs(dir = fileURLToPath(new URL("../../generated/", import.meta.url))): Promise<OperationSpec[]> {
  const out: OperationSpec[] = [];
  const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const folder of folders) {
    const mod = (await import(pathToFileURL(`${dir}/${folder}/index.ts`).href)) as { operations?: () => Record<string, OperationSpec> };
    if (mod.operations) out.push(...Object.values(mod.operations()));
  }
  return out;
}
