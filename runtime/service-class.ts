/**
 * ServiceClass: what every generated collection class extends. Generated methods are
 * one-liners that hand their operation's table entry and the caller's arguments to `call`;
 * a subclass can do the same for operations of its own.
 */
import "./engine.js";
import { installAliases } from "./aliases.js";
import { isBrandedInstance } from "./brand.js";
import { FalconInterface, connectionOptionsOf, isFalconInterface } from "./falcon-interface.js";
import { FalconPyMembers, warnDeprecated, type ClientSettings } from "./falconpy-members.js";
import type { RequestHook } from "./hooks.js";
import type { OperationSpec } from "./operation.js";
import { checkCallOptions, checkClientOptions, checkHook, type CallOptions, type FalconOptions } from "./options.js";
import { Pipeline, transportFor } from "./request.js";
import type { PipelineSettings } from "./request.js";

export interface ServiceOptions<Mode extends boolean = false> extends FalconOptions {
  pythonic?: Mode;
}

const SETTING_KEYS = ["pythonic", "validatePayloads", "debug", "logger", "sanitizeLog", "debugRecordCount", "timeout", "retries", "onWarning"] as const;

/** A client's own settings, falling back to its auth object's configuration. */
function settingsFor(own: Partial<FalconOptions> | undefined, inherited: Partial<FalconOptions>): PipelineSettings {
  const out: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) {
    const v = own?.[k] !== undefined ? own[k] : inherited[k];
    if (v !== undefined) out[k] = v;
  }
  return out as PipelineSettings;
}

function authOf(options: FalconOptions): FalconInterface {
  const ao = options.authObject;
  // Brand checks, not instanceof: the auth object may come from the other (ESM/CJS) copy of the
  // package; the pipeline uses only its public members.
  if (isFalconInterface(ao)) return ao;
  if (ao && typeof ao === "object" && isFalconInterface(ao.auth)) return ao.auth;
  // Anything else (including an invalid authObject) is FalconInterface's to judge.
  return new FalconInterface(options);
}

function pipelineFor(auth: FalconInterface, own: ServiceOptions<boolean> | undefined): Pipeline {
  const config = connectionOptionsOf(auth) as FalconOptions;
  const settings = settingsFor(own, config);
  if (own?.hooks) settings.hooks = own.hooks;
  return new Pipeline(auth, transportFor(auth, config), settings);
}

const SERVICE_CLASS = Symbol.for("falconts.ServiceClass");

export class ServiceClass<Mode extends boolean = false> extends FalconPyMembers<Mode> {
  readonly [SERVICE_CLASS] = true;
  /** The auth object (shared with every client built from this one via `authObject`). */
  readonly auth: FalconInterface;
  readonly #pipeline: Pipeline;
  readonly #timeout: FalconOptions["timeout"];

  constructor(options: ServiceOptions<Mode> = {}) {
    super();
    installAliases(new.target, ServiceClass);
    // a sharer's own settings too (an authObject's client builds no FalconInterface of its own)
    checkClientOptions(options);
    this.auth = authOf(options);
    this.#pipeline = pipelineFor(this.auth, options);
    this.#timeout = options.timeout ?? this.auth.config.timeout;
    warnDeprecated(this.auth, { cls: new.target });
  }

  protected get clientSettings(): ClientSettings {
    return { validatePayloads: this.#pipeline.validate, timeout: this.#timeout, baseHeaders: this.#pipeline.transport.baseHeaders };
  }

  /**
   * `instanceof` by brand and class name: `falconts` (one bundled module) and `falconts/hosts`
   * hold separate copies of `Hosts`, as do the ESM and CommonJS builds; an instance of either
   * copy is an instance of both.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, SERVICE_CLASS, ServiceClass);
  }

  /** Adds a before-request / after-response hook to this client. */
  addHook(hook: RequestHook): this {
    checkHook(hook, "hook");
    this.#pipeline.hooks.push(hook);
    return this;
  }

  /** True when this client returns `Result` objects and throws (pythonic). */
  override get pythonic(): Mode {
    return this.#pipeline.pythonic as Mode;
  }

  /**
   * Send one operation. Subclasses may call this for operations of their own: build an
   * OperationSpec (see runtime/operation.ts) and pass the caller's arguments.
   */
  protected call<R = never>(operation: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<R> {
    try {
      checkCallOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    if (operation.deprecated) warnDeprecated(this.auth, { operation });
    return this.#pipeline.call(operation, args, options ?? undefined) as Promise<R>;
  }
}

const authPipelines = new WeakMap<FalconInterface, Pipeline>();

/**
 * The pipeline entry FalconInterface.call (the OAuth2 class) delegates to: sends `operation`
 * with the auth object's own settings.
 */
export function callOperation(auth: FalconInterface, operation: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<unknown> {
  checkCallOptions(options);
  let p = authPipelines.get(auth);
  if (p === undefined) {
    p = pipelineFor(auth, undefined);
    authPipelines.set(auth, p);
  }
  return p.call(operation, args, options);
}
