/**
 * ServiceClass: what every generated collection class extends. Generated methods are
 * one-liners that hand their operation's table entry and the caller's arguments to `call`;
 * a subclass can do the same for operations of its own.
 */
import "./engine.js";
import { installAliases } from "./aliases.js";
import { isBrandedInstance } from "./brand.js";
import { ClientCore } from "./client.js";
import { attachCore, coreOf } from "./client-base.js";
import {
  FalconInterface,
  checkedRetryPolicy,
  emitWarning,
  isFalconInterface,
  settingsFor,
  sharerConnection,
  sharerTransport,
  transportOf,
} from "./falcon-interface.js";
import { FalconPyMembers, warnDeprecated, type ClientSettings } from "./falconpy-members.js";
import type { OperationSpec } from "./operation.js";
import type { CallOptions, FalconOptions } from "./options.js";
import { installPaginate } from "./paginate/install.js";
import type { Transport } from "./transport.js";

export interface ServiceOptions<Mode extends boolean = false> extends FalconOptions {
  pythonic?: Mode;
}

const SERVICE_CLASS = Symbol.for("falconts.ServiceClass");

/**
 * A client's auth object and its own client state: with `authObject`, the shared auth object
 * and this client's own transport settings; otherwise a new auth object that this client owns
 * (closing the client closes it).
 */
export function openClient(options: FalconOptions): { auth: FalconInterface; client: ClientCore } {
  const owner = ownerOf(options);
  if (owner) {
    // a sharer's own settings too (it builds no FalconInterface of its own)
    checkedRetryPolicy(options);
    const connection = sharerConnection(owner, options);
    const transport = sharerTransport(owner, options, connection);
    return {
      auth: owner,
      client: new ClientCore(owner, transport, settingsFor(options, owner.config), undefined, (w) =>
        emitWarning(connection, w),
      ),
    };
  }
  // Anything else (including an invalid authObject) is FalconInterface's to judge.
  const auth = new FalconInterface(options);
  const transport = transportOf(auth).retain();
  return {
    auth,
    client: new ClientCore(
      auth,
      transport,
      settingsFor(options, auth.config),
      () => auth.close(),
      (w) => emitWarning(options, w),
    ),
  };
}

/** The auth object a client shares, when built with `authObject` (from any copy of the package). */
function ownerOf(options: FalconOptions): FalconInterface | undefined {
  // not an object: FalconInterface's option check names it
  const ao = typeof options === "object" && options !== null ? options.authObject : undefined;
  // Brand checks, not instanceof: the auth object may come from the other (ESM/CJS) copy of the
  // package; the client uses only its public members.
  if (isFalconInterface(ao)) return ao;
  if (ao && typeof ao === "object" && isFalconInterface(ao.auth)) return ao.auth;
  return undefined;
}

export class ServiceClass<Mode extends boolean = false> extends FalconPyMembers<Mode> {
  readonly [SERVICE_CLASS] = true;
  /** The auth object (shared with every client built from this one via `authObject`). */
  readonly auth: FalconInterface;

  constructor(options: ServiceOptions<Mode> = {}) {
    super();
    installAliases(new.target, ServiceClass);
    const { auth, client } = openClient(options);
    this.auth = auth;
    attachCore(this, client);
    warnDeprecated(this.auth, { cls: new.target });
  }

  protected get clientSettings(): ClientSettings {
    const client = coreOf(this);
    return {
      validatePayloads: client.settings.validatePayloads === true,
      timeout: client.settings.timeout,
      baseHeaders: client.transport.baseHeaders,
    };
  }

  /**
   * `instanceof` by brand and class name: `falconts` (one bundled module) and `falconts/hosts`
   * hold separate copies of `Hosts`, as do the ESM and CommonJS builds; an instance of either
   * copy is an instance of both.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, SERVICE_CLASS, ServiceClass);
  }

  /** True when this client returns `Result` objects and throws (pythonic). */
  override get pythonic(): Mode {
    return (coreOf(this).settings.pythonic === true) as Mode;
  }

  /** Send one operation (see ClientBase), warning once when the API marks it deprecated. */
  protected override call<R = never>(
    operation: OperationSpec,
    args: unknown,
    options: CallOptions | undefined,
  ): Promise<R> {
    if (operation.deprecated) warnDeprecated(this.auth, { operation });
    return super.call(operation, args, options);
  }
}

/** The transport of `client`: its pool, proxy and TLS, for requests outside the pipeline (an event stream's feed). */
export function clientTransport(client: ServiceClass<boolean>): Transport {
  return coreOf(client).transport;
}

/**
 * `signal` joined with `client`'s closing: what helpers wait and keep timers with, so closing
 * the client ends them (with ClientClosed) and leaves nothing running.
 */
export function untilClosed(client: ServiceClass<boolean>, signal?: AbortSignal): AbortSignal {
  const closing = coreOf(client).closeSignal;
  return signal ? AbortSignal.any([signal, closing]) : closing;
}

// `client.paginate` (typed per generated class), built on first use.
installPaginate(ServiceClass);
