/**
 * ClientBase: what every client object (FalconInterface and its OAuth2, service classes,
 * APIHarnessV2) answers through its ClientCore: user middleware, closing, and sending an
 * operation. The subclass builds the core (it needs the subclass as its auth object) and
 * attaches it right after super(); the core stays out of every rendering and of the types.
 */
import type { ClientCore } from "./client.js";
import type { OperationSpec } from "./operation.js";
import { checkCallOptions, type CallOptions } from "./options.js";
import type { Middleware } from "./pipeline/middleware.js";

let attach: (client: ClientBase, core: ClientCore) => void;
let read: (client: ClientBase) => ClientCore;

export abstract class ClientBase {
  static {
    attach = (client, core) => {
      client.#core = core;
    };
    read = (client) => client.#core!;
  }

  #core: ClientCore | undefined;

  /** Adds user middleware (openapi-fetch's shape) to this client's own calls, run in order; returns this. */
  use(...middleware: Middleware[]): this {
    this.#core!.use(middleware);
    return this;
  }

  /** Removes user middleware added with use(); returns this. */
  eject(...middleware: Middleware[]): this {
    this.#core!.eject(middleware);
    return this;
  }

  /**
   * Closes this client: one that owns its token revokes it (FalconPy's context manager logs out)
   * and calls through every client sharing it then fail with ClientClosed; the connection pool
   * closes when its last user closes. Idempotent; never throws (a failed revoke is a warning).
   */
  close(): Promise<void> {
    return this.#core!.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Send one operation (generated methods call this). Subclasses may call it for operations of
   * their own: build an OperationSpec (see runtime/operation.ts) and pass the caller's arguments.
   */
  protected call<R = never>(operation: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<R> {
    try {
      checkCallOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#core!.call(operation, args, options ?? undefined) as Promise<R>;
  }
}

/** Gives `client` its core: once, in the subclass's constructor. */
export function attachCore(client: ClientBase, core: ClientCore): void {
  attach(client, core);
}

/** The core of `client`, for the runtime's own use (transport, settings, closing signal). */
export function coreOf(client: ClientBase): ClientCore {
  return read(client);
}
