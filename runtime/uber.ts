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

/** Operation ID -> argument type, success body type, and whether arguments are required. */
export interface UberOperationEntry {
  /** An object of keywords; also ids (a string or a list) for an operation that takes them positionally. */
  args: object | string | readonly string[];
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

type RequiredIds<Ops extends UberOperationMap<Ops>> = { [K in keyof Ops]: Ops[K]["required"] extends true ? K : never }[keyof Ops] & string;
type OptionalIds<Ops extends UberOperationMap<Ops>> = Exclude<keyof Ops & string, RequiredIds<Ops>>;

export class UberInterface<Ops extends UberOperationMap<Ops>, Mode extends boolean = false> extends ServiceClass<Mode> {
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

  /** Calls an operation by its ID, with the operation's own argument names and types. */
  command<K extends RequiredIds<Ops>, P extends boolean = Mode, S extends boolean = false>(action: K, args: Ops[K]["args"], options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  command<K extends OptionalIds<Ops>, P extends boolean = Mode, S extends boolean = false>(action: K, args?: Ops[K]["args"], options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** FalconPy's keyword form: `command({ action: "QueryDevicesByFilterScroll", limit: 10 })`. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(payload: { action: K } & Exclude<Ops[K]["args"], string | readonly string[]>, options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** A route the spec lacks: `command({ override: "GET,/some/route/v1", parameters })`. */
  command<P extends boolean = Mode, S extends boolean = false>(payload: OverridePayload, options?: CallOptions<P, S>): Promise<Outcome<unknown, P, S>>;
  command<P extends boolean = Mode, S extends boolean = false>(action: string, args: OverridePayload, options?: CallOptions<P, S>): Promise<Outcome<unknown, P, S>>;
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
      if (pythonic) throw new InvalidOperation(`Invalid API operation specified: ${JSON.stringify(action ?? null)} is not an operation ID`);
      return errorResult("Invalid API operation specified.", 418);
    }
    return this.call(op, args, options);
  }
}
