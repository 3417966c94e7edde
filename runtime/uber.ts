/**
 * UberInterface: every operation through `command(operationId, args)` (FalconPy's Uber
 * class), typed by the operation ID. generated/uber.ts instantiates it as APIHarnessV2 with
 * the map of every operation (and deprecated) ID to its argument and response types.
 */
import { InvalidMethod, InvalidOperation } from "./errors.js";
import type { OperationSpec, ParamSpec } from "./operation.js";
import type { CallOptions } from "./options.js";
import { errorResult } from "./results.js";
import type { Outcome } from "./results.js";
import { ServiceClass } from "./service-class.js";
import { callPathOf } from "./paginate/install.js";
import { Paginator } from "./paginate/paginator.js";
import type { ItemOf, PaginateOptions } from "./paginate/paginator.js";
import type { PagedItem, PaginatedOperationMap } from "./paginate/types.js";
import type { BinaryInput, FileTuple } from "./arguments.js";

/**
 * Operation ID -> keyword-form arguments, FalconPy's payload form (`parameters`/`body` carrying
 * the required inputs; `never` when the operation has none), success body type, and whether
 * arguments are required.
 */
export interface UberOperationEntry {
  args: object;
  payload?: object;
  response: unknown;
  required: boolean;
}
/** Accepts interfaces too (they have no index signature, so `Record<string, ...>` would not). */
export type UberOperationMap<Ops> = { [K in keyof Ops]: UberOperationEntry };
type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Keywords of a call to a route the spec lacks (`override: "METHOD,/path"`). */
export interface OverridePayload {
  /** "METHOD,/path": send to this route; `{name}` placeholders are filled from keywords. */
  override: string;
  /** Ignored when `override` is given (FalconPy accepts both). */
  action?: string;
  parameters?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  data?: Readonly<Record<string, unknown>> | BinaryInput | string;
  files?: readonly FileTuple[];
  file_data?: BinaryInput | string;
  file_name?: string;
  headers?: Readonly<Record<string, string>>;
  content_type?: string;
  ids?: string | readonly string[];
  action_name?: string;
  partition?: string | number;
  distinct_field?: string;
  [placeholder: string]: unknown;
}

type PayloadOf<E> = E extends { payload: infer Form extends object } ? Form : never;
type PayloadFormIds<Ops extends UberOperationMap<Ops>> = { [K in keyof Ops]: [PayloadOf<Ops[K]>] extends [never] ? never : K }[keyof Ops] & string;
/** `(args, options?)`, with `args` optional where the operation needs none. */
type ArgsAndOptions<E extends UberOperationEntry, P extends boolean, S extends boolean> = E["required"] extends true
  ? [args: E["args"], options?: CallOptions<P, S>]
  : [args?: E["args"], options?: CallOptions<P, S>];

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);

type PagedArgs<Pag extends PaginatedOperationMap<Pag>, K extends keyof Pag, P extends boolean> = Pag[K]["required"] extends true
  ? [args: Pag[K]["args"], options?: PaginateOptions<P>]
  : [args?: Pag[K]["args"], options?: PaginateOptions<P>];

export class UberInterface<Ops extends UberOperationMap<Ops>, Mode extends boolean = false, Pag extends PaginatedOperationMap<Pag> = {}> extends ServiceClass<Mode> {
  readonly #found = new Map<string, OperationSpec>();
  readonly #overrides = new Map<string, OperationSpec>();

  /** Looks an operation up by ID or deprecated ID; generated/uber.ts supplies the tables. */
  protected findOperation(id: string): Promise<OperationSpec | undefined> {
    void id;
    return Promise.resolve(undefined);
  }

  // Overload order matters for error messages: when every overload fails, the compiler reports
  // the last one, so the positional form with the operation's keyword arguments comes last and a
  // misspelt ID, a misspelt key or a missing required argument is named as such.
  /** A route the spec lacks: `command({ override: "GET,/some/route/v1", parameters })`. */
  command<P extends boolean = Mode, S extends boolean = false>(payload: OverridePayload, options?: CallOptions<P, S>): Promise<Outcome<unknown, P, S>>;
  command<P extends boolean = Mode, S extends boolean = false>(action: string, args: OverridePayload, options?: CallOptions<P, S>): Promise<Outcome<unknown, P, S>>;
  /** FalconPy's keyword form: `command({ action: "QueryDevicesByFilterScroll", limit: 10 })`. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(payload: { action: K } & (Ops[K]["args"] | PayloadOf<Ops[K]>), options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** Required inputs given in `parameters` or `body` (FalconPy style). */
  command<K extends PayloadFormIds<Ops>, P extends boolean = Mode, S extends boolean = false>(action: K, args: PayloadOf<Ops[K]>, options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** Calls an operation by its ID, with the operation's own argument names and types. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(action: K, ...rest: ArgsAndOptions<Ops[K], P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  async command(a: string | Record<string, unknown>, b?: unknown, c?: CallOptions): Promise<unknown> {
    let action: unknown;
    let args: Record<string, unknown> | undefined;
    let options: CallOptions | undefined;
    if (typeof a === "object" && a !== null) {
      const { action: act, ...rest } = a;
      action = act;
      args = rest;
      options = b as CallOptions | undefined;
    } else {
      action = a;
      args = b as Record<string, unknown> | undefined;
      options = c;
    }
    const pythonic = options?.pythonic ?? this.pythonic;
    let op: OperationSpec | undefined;
    if (args !== undefined && typeof args.override === "string") {
      const { override, ...rest } = args;
      args = rest;
      op = this.#overrideOperation(override as string, pythonic);
      if (op === undefined) return errorResult("Invalid HTTP method specified.", 405);
    } else if (typeof action === "string") {
      op = this.#found.get(action);
      if (op === undefined) {
        op = await this.findOperation(action);
        if (op !== undefined) this.#found.set(action, op);
      }
    }
    if (op === undefined) {
      if (pythonic) throw new InvalidOperation(`Invalid API operation specified: ${JSON.stringify(action ?? null)} is not an operation ID`);
      return errorResult("Invalid API operation specified.", 418);
    }
    return this.call(op, args, options);
  }

  /**
   * A paginator over a paginated operation, by its ID (typed by the ID: only paginated
   * operations are accepted): `falcon.paginate("QueryDevicesByFilterScroll", { filter })`.
   */
  paginate<K extends keyof Pag & string, P extends boolean = Mode>(
    action: K,
    ...call: PagedArgs<Pag, K, P>
  ): Paginator<PagedItem<Pag[K]>, Outcome<Pag[K]["response"], P>, [Pag[K]["details"]] extends [never] ? never : ItemOf<Pag[K]["details"]>> {
    const [args, options] = call;
    return new Paginator(callPathOf(this), async () => {
      const op = this.#found.get(action) ?? (await this.findOperation(action));
      if (op === undefined) throw new InvalidOperation(`Invalid API operation specified: ${JSON.stringify(action)} is not an operation ID`);
      this.#found.set(action, op);
      const detailsId = op.pagination?.details;
      const details = detailsId === undefined ? undefined : await this.findOperation(detailsId);
      return details ? { op, details } : { op };
    }, args, options, this.pythonic);
  }

  /** A table entry for an override route, built once per distinct override string. */
  #overrideOperation(override: string, pythonic: boolean): OperationSpec | undefined {
    const cached = this.#overrides.get(override);
    if (cached) return cached;
    const comma = override.indexOf(",");
    const method = (comma < 0 ? "" : override.slice(0, comma)).trim().toUpperCase();
    let path = (comma < 0 ? override : override.slice(comma + 1)).trim();
    if (!METHODS.has(method)) {
      if (pythonic) throw new InvalidMethod(`override "${override}": invalid HTTP method (expected "METHOD,/path" with one of ${[...METHODS].join(", ")})`);
      return undefined;
    }
    if (!path.startsWith("/")) path = "/" + path;
    const params: ParamSpec[] = [
      { name: "ids", in: "query", type: "array", collectionFormat: "multi" },
      { name: "action_name", in: "query", type: "string" },
    ];
    for (const m of path.matchAll(/\{([^}]+)\}/g)) params.push({ name: m[1]!, in: "path", type: "string", required: true });
    const op: OperationSpec = { id: `${method},${path}`, method: method as OperationSpec["method"], path, tag: "override", params };
    this.#overrides.set(override, op);
    return op;
  }
}
