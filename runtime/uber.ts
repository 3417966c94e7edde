/**
 * UberInterface: every operation through `command(operationId, args)` (FalconPy's Uber
 * class), typed by the operation ID. generated/uber.ts instantiates it as APIHarnessV2 with
 * the map of every operation (and deprecated) ID to its argument and response types.
 */
import { InvalidMethod, InvalidOperation, PayloadValidationError } from "./errors.js";
import type { OperationSpec, ParamSpec } from "./operation.js";
import type { CallOptions } from "./options.js";
import { dotSegmentIn } from "./payload.js";
import { errorResult } from "./results.js";
import type { Outcome } from "./results.js";
import { ServiceClass } from "./service-class.js";
import type { BinaryInput, FileTuple } from "./arguments.js";

/** Operation ID -> argument type, success body type, and whether arguments are required. */
export interface UberOperationEntry {
  args: object;
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
  file_data?: BinaryInput;
  file_name?: string;
  headers?: Readonly<Record<string, string>>;
  content_type?: string;
  ids?: string | readonly string[];
  action_name?: string;
  partition?: string | number;
  distinct_field?: string;
  [placeholder: string]: unknown;
}

type RequiredIds<Ops extends UberOperationMap<Ops>> = { [K in keyof Ops]: Ops[K]["required"] extends true ? K : never }[keyof Ops] & string;
type OptionalIds<Ops extends UberOperationMap<Ops>> = Exclude<keyof Ops & string, RequiredIds<Ops>>;

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);

export class UberInterface<Ops extends UberOperationMap<Ops>, Mode extends boolean = false> extends ServiceClass<Mode> {
  readonly #found = new Map<string, OperationSpec>();
  readonly #overrides = new Map<string, OperationSpec>();

  /** Looks an operation up by ID or deprecated ID; generated/uber.ts supplies the tables. */
  protected findOperation(id: string): Promise<OperationSpec | undefined> {
    void id;
    return Promise.resolve(undefined);
  }

  /** Calls an operation by its ID, with the operation's own argument names and types. */
  command<K extends RequiredIds<Ops>, P extends boolean = Mode, S extends boolean = false>(action: K, args: Ops[K]["args"], options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  command<K extends OptionalIds<Ops>, P extends boolean = Mode, S extends boolean = false>(action: K, args?: Ops[K]["args"], options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
  /** FalconPy's keyword form: `command({ action: "QueryDevicesByFilterScroll", limit: 10 })`. */
  command<K extends keyof Ops & string, P extends boolean = Mode, S extends boolean = false>(payload: { action: K } & Ops[K]["args"], options?: CallOptions<P, S>): Promise<Outcome<Ops[K]["response"], P, S>>;
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
    if (typeof args === "object" && args !== null && typeof args.override === "string") {
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
    // "\\" is a separator too for URL parsing; a dot segment would send the call (and its token) elsewhere
    const dot = dotSegmentIn(path.split("?")[0]!.split(/[/\\]/));
    if (dot !== undefined) {
      throw new PayloadValidationError(`override ${JSON.stringify(override)}`, [
        { path: ["override"], message: `the path has a dot segment ${JSON.stringify(dot)}: give the route itself` },
      ]);
    }
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
