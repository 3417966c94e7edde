/**
 * UberInterface: every operation through `command(operationId, args)` (FalconPy's Uber
 * class), typed by the operation ID. generated/uber.ts instantiates it as APIHarnessV2 with
 * the map of every operation (and deprecated) ID to its argument and response types.
 */
import { InvalidOperation } from "./errors.js";
import { invalidOverride, overrideOperation, warnDeprecated, type OverrideArgs } from "./falconpy-members.js";
import type { OperationSpec } from "./operation.js";
import type { CallOptions } from "./options.js";
import { errorResult } from "./results.js";
import type { Outcome } from "./results.js";
import { ServiceClass } from "./service-class.js";
import { callPathOf } from "./paginate/install.js";
import { Paginator } from "./paginate/paginator.js";
import type { ItemOf, PaginateOptions } from "./paginate/paginator.js";
import type { PagedItem, PaginatedOperationMap } from "./paginate/types.js";

/**
 * Operation ID -> keyword-form arguments, FalconPy's payload form (`parameters`/`body` carrying
 * the required inputs; `never` when the operation has none), success body type, and whether
 * arguments are required.
 */
export interface UberOperationEntry {
  args: object;
  payload?: object;
  /** The operation takes its ids positionally (FalconPy): `command("GetDeviceDetailsV2", "id1,id2")`. */
  positional?: boolean;
  response: unknown;
  required: boolean;
}
/** Accepts interfaces too (they have no index signature, so `Record<string, ...>` would not). */
export type UberOperationMap<Ops> = { [K in keyof Ops]: UberOperationEntry };
/** Keywords of a call to a route the spec lacks (`override: "METHOD,/path"`). */
export interface OverridePayload extends OverrideArgs {
  /** "METHOD,/path": send to this route; `{name}` placeholders are filled from keywords. */
  override: string;
  /** Ignored when `override` is given (FalconPy accepts both). */
  action?: string;
  partition?: string | number;
  distinct_field?: string;
}

type PayloadOf<E> = E extends { payload: infer Form extends object } ? Form : never;
type PayloadFormIds<Ops extends UberOperationMap<Ops>> = {
  [K in keyof Ops]: [PayloadOf<Ops[K]>] extends [never] ? never : K;
}[keyof Ops] &
  string;
type PositionalIds<Ops extends UberOperationMap<Ops>> = {
  [K in keyof Ops]: Ops[K]["positional"] extends true ? K : never;
}[keyof Ops] &
  string;
/** `(args, options?)`, with `args` optional where the operation needs none. */
type ArgsAndOptions<E extends UberOperationEntry, P extends boolean, S extends boolean> = E["required"] extends true
  ? [args: E["args"], options?: CallOptions<P, S>]
  : [args?: E["args"], options?: CallOptions<P, S>];

type PagedArgs<
  Pag extends PaginatedOperationMap<Pag>,
  K extends keyof Pag,
  P extends boolean,
> = Pag[K]["required"] extends true
  ? [args: Pag[K]["args"], options?: PaginateOptions<P>]
  : [args?: Pag[K]["args"], options?: PaginateOptions<P>];

export class UberInterface<
  Ops extends UberOperationMap<Ops>,
  Mode extends boolean = false,
  Pag extends PaginatedOperationMap<Pag> = {},
> extends ServiceClass<Mode> {
  readonly #found = new Map<string, OperationSpec>();

  /** Looks an operation up by ID or deprecated ID; generated/uber.ts supplies the tables. */
  protected findOperation(id: string): Promise<OperationSpec | undefined> {
    void id;
    return Promise.resolve(undefined);
  }

  /** Every operation ID (current and deprecated) that `command()` accepts; generated/uber.ts supplies them. */
  protected operationIds(): readonly string[] {
    return [];
  }

  /** FalconPy's `commands`: every operation ID `command()` can call, sorted. */
  get commands(): readonly string[] {
    return this.operationIds();
  }

  // Overload order matters for error messages: when every overload fails, the compiler reports
  // the last one, so the positional form with the operation's keyword arguments comes last and a
  // misspelt ID, a misspelt key or a missing required argument is named as such.
  /** A route the spec lacks: `command({ override: "GET,/some/route/v1", parameters })`. */
  command<P extends boolean = Mode, S extends boolean = false>(
    payload: OverridePayload,
    options?: CallOptions<P, S>,
  ): Promise<Outcome<unknown, P, S>>;
  command<P extends boolean = Mode, S extends boolean = false>(
    action: string,
    args: OverridePayload,
    options?: CallOptions<P, S>,
  ): Promise<Outcome<unknown, P, S>>;
  /** FalconPy's keyword form: `command({ action: "QueryDevicesByFilterScroll", limit: 10 })`. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(
    payload: { action: K } & (Ops[K]["args"] | PayloadOf<Ops[K]>),
    options?: CallOptions<P, S>,
  ): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** Required inputs given in `parameters` or `body` (FalconPy style). */
  command<K extends PayloadFormIds<Ops>, P extends boolean = Mode, S extends boolean = false>(
    action: K,
    args: PayloadOf<Ops[K]>,
    options?: CallOptions<P, S>,
  ): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** The ids given positionally (FalconPy style): one id, a list, or a comma-separated string. */
  command<K extends PositionalIds<Ops>, P extends boolean = Mode, S extends boolean = false>(
    action: K,
    ids: string | readonly string[],
    options?: CallOptions<P, S>,
  ): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** Calls an operation by its ID, with the operation's own argument names and types. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(
    action: K,
    ...rest: ArgsAndOptions<Ops[K], P, S>
  ): Promise<Outcome<Ops[K]["response"], P, S>>;
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
    if (typeof args === "object" && args !== null && typeof args.override === "string") {
      const { override, ...rest } = args;
      args = rest;
      const spec = override as string;
      const comma = spec.indexOf(",");
      const method = comma < 0 ? "" : spec.slice(0, comma);
      op = overrideOperation(method, comma < 0 ? spec : spec.slice(comma + 1));
      if (op === undefined) return invalidOverride(method, pythonic);
    } else if (typeof action === "string") {
      op = this.#found.get(action);
      if (op === undefined) {
        op = await this.findOperation(action);
        if (op !== undefined) this.#found.set(action, op);
        if (op !== undefined && op.id !== action) warnDeprecated(this.auth, { operation: op, calledAs: action });
      }
    }
    if (op === undefined) {
      if (pythonic)
        throw new InvalidOperation(
          `Invalid API operation specified: ${JSON.stringify(action ?? null)} is not an operation ID`,
        );
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
  ): Paginator<
    PagedItem<Pag[K]>,
    Outcome<Pag[K]["response"], P>,
    [Pag[K]["details"]] extends [never] ? never : ItemOf<Pag[K]["details"]>
  > {
    const [args, options] = call;
    return new Paginator(
      callPathOf(this),
      async () => {
        const op = this.#found.get(action) ?? (await this.findOperation(action));
        if (op === undefined)
          throw new InvalidOperation(
            `Invalid API operation specified: ${JSON.stringify(action)} is not an operation ID`,
          );
        this.#found.set(action, op);
        const detailsId = op.pagination?.details;
        const details = detailsId === undefined ? undefined : await this.findOperation(detailsId);
        return details ? { op, details } : { op };
      },
      args,
      options,
      this.pythonic,
    );
  }
}
