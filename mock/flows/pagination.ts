/**
 * Pagination over finite data, in each operation's own style (read from the generated
 * operation tables' `pagination` / `chunk` data):
 *  - offset: integer offsets, refused with 400 past offset + limit = 10,000 (the table's cap)
 *  - token styles (offset-token, after, body-after, next-token, next-page): opaque tokens in the
 *    query or the body, returned in meta.pagination[token]; scroll offsets (offset-token) carry
 *    `expires_at` and are refused with 400 once expired (default lifetime 2 minutes)
 *  - details ("by ids") reads: one record per id, in the order asked; more ids than the
 *    operation's maximum is a 400, as Falcon answers.
 * Interface: the "pagination" scenario (`mock.scenario("pagination", { world })`), or
 * `mock.flow(new PaginationFlow(specs, world))` for a chosen set of operations; without `specs`
 * it pages every operation the SDK's tables describe. State: the tokens it issued.
 */
import { findOperation } from "../../generated/uber.js";
import type { OperationSpec } from "../../runtime/operation.js";
import type { FlowContext, FlowReply, FlowRequest, MockFlow } from "../flows.js";
import { errorAnswer } from "./flow.js";

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

/** The "pagination" scenario's options. */
export interface PaginationOptions {
  /** The operations it pages (default: every operation of the SDK's tables). */
  readonly operations?: Iterable<PagedOperation>;
  readonly world?: PaginationWorld;
}

export class PaginationFlow implements MockFlow {
  readonly name = "pagination";
  readonly #ops: ReadonlyMap<string, PagedOperation> | undefined;
  readonly #world: PaginationWorld;
  readonly #tokens = new Map<string, Issued>();
  #seq = 0;

  constructor(operations?: Iterable<PagedOperation>, world: PaginationWorld = {}) {
    this.#ops = operations && new Map([...operations].filter((o) => o.pagination || o.chunk).map((o) => [o.id, o]));
    this.#world = world;
  }

  /** Tokens issued so far (a test can expire them). */
  get issuedTokens(): number {
    return this.#tokens.size;
  }

  reset(): void {
    this.#tokens.clear();
    this.#seq = 0;
  }

  async answer(request: FlowRequest, context: FlowContext): Promise<FlowReply | undefined> {
    const op = this.#ops ? this.#ops.get(request.operationId) : await findOperation(request.operationId);
    if (op?.pagination) return this.#page(op, request, context.now());
    if (op?.chunk) return this.#details(op, request);
    return undefined;
  }

  #count(op: PagedOperation): number {
    return this.#world.count?.(op.id) ?? 25;
  }

  #item(op: PagedOperation, i: number): unknown {
    return this.#world.item ? this.#world.item(op.id, i) : defaultItem(op.id, i, op.path);
  }

  #page(op: PagedOperation, req: FlowRequest, now: number): FlowReply {
    const spec = op.pagination!;
    const { query, body } = req;
    const read = (name: string, where: "query" | "body"): unknown =>
      where === "body" ? (isRecord(body) ? body[name] : undefined) : query[name];
    const rawLimit = spec.limitParam ? read(spec.limitParam, spec.limitIn ?? spec.in) : undefined;
    const limit =
      rawLimit === undefined || rawLimit === "" ? (this.#world.defaultLimit ?? spec.maxLimit ?? 100) : Number(rawLimit);
    if (!Number.isSafeInteger(limit) || limit < 1 || (spec.maxLimit !== undefined && limit > spec.maxLimit)) {
      return errorAnswer(400, `${op.id}: limit must be 1-${spec.maxLimit ?? "..."}, got ${String(rawLimit)}`);
    }
    const total = this.#count(op);
    const raw = read(spec.param, spec.in);
    let start: number;
    if (spec.style === "offset") {
      start = raw === undefined || raw === "" ? 0 : Number(raw);
      if (!Number.isSafeInteger(start) || start < 0)
        return errorAnswer(400, `${op.id}: invalid ${spec.param} ${String(raw)}`);
      if (spec.cap !== undefined && start + limit > spec.cap) {
        return errorAnswer(
          400,
          `${op.id}: offset + limit must not exceed ${spec.cap} (got ${start} + ${limit}); use a scroll or after endpoint for deeper pages`,
        );
      }
    } else if (raw === undefined || raw === "") start = 0;
    else {
      const issued = this.#tokens.get(String(raw));
      if (!issued || issued.operationId !== op.id) return errorAnswer(400, `${op.id}: invalid pagination token`);
      if (issued.expiresAt !== undefined && now >= issued.expiresAt)
        return errorAnswer(400, `${op.id}: pagination token expired`);
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
        expiresAt = spec.style === "offset-token" ? now + (this.#world.tokenLifetimeMs ?? 120_000) : undefined;
        next = `${spec.style}-${++this.#seq}-${end}`;
        this.#tokens.set(next, {
          operationId: op.id,
          position: end,
          ...(expiresAt !== undefined ? { expiresAt } : {}),
        });
      }
      pagination[spec.token ?? spec.param] = next;
      if (expiresAt !== undefined) pagination.expires_at = expiresAt;
      if (spec.token !== "offset") pagination.offset = start;
    }
    const answer: Record<string, unknown> = { meta: { query_time: 0.001, pagination }, resources: [], errors: [] };
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

  #details(op: PagedOperation, req: FlowRequest): FlowReply | undefined {
    const spec = op.chunk!;
    const { query, body } = req;
    const value = spec.in === "query" ? query[spec.param] : isRecord(body) ? body[spec.param] : undefined;
    const ids = (Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : []).map(String);
    if (spec.max !== undefined && ids.length > spec.max)
      return errorAnswer(400, `${op.id}: at most ${spec.max} ids per request, got ${ids.length}`);
    if (op.method !== "GET" && op.readOnly !== true) return undefined;
    const resources = ids.map((id) => this.#world.details?.(op.id, id) ?? { id, device_id: id });
    return { status: 200, body: { resources, errors: [] } };
  }
}
