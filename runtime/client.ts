/**
 * What every client object (a service class, APIHarnessV2, OAuth2) has on top of the auth
 * layer: its transport, its user middleware, its pipeline (built on the first call) and its
 * closing. Calls through a closed client, or a client whose token owner closed, fail with
 * ClientClosed in every mode.
 */
import { ClientClosed, RevokeFailed, type SDKWarning } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import type { CallOptions } from "./options.js";
import { type CallEntry, chunkStep } from "./paginate/chunk.js";
import { checkMiddleware, type Middleware } from "./pipeline/middleware.js";
import { Pipeline, type PipelineAuth, type PipelineSettings } from "./pipeline/pipeline.js";
import type { REDACT_SECRETS, SecretRedactor } from "./redact.js";
import type { Transport } from "./transport.js";

/** What a client needs of its auth object (FalconInterface, from any copy of the package). */
export interface ClientAuth extends PipelineAuth {
  readonly authKey: object;
  /** Hides the token owner's secrets in what the server said (errors, failure bodies, debug records). */
  readonly [REDACT_SECRETS]: SecretRedactor;
  /** True once the token owner has closed. */
  readonly ownerClosed: boolean;
}

export class ClientCore {
  readonly middleware: Middleware[] = [];
  #pipeline: Pipeline | undefined;
  #entry: CallEntry | undefined;
  #closed = false;
  readonly #closing = new AbortController();

  constructor(
    readonly auth: ClientAuth,
    readonly transport: Transport,
    readonly settings: PipelineSettings,
    /** Runs first when this client closes (the token owner revokes; a client that built its auth closes it). */
    readonly beforeClose: (() => Promise<void>) | undefined,
    readonly warn: (w: SDKWarning) => void,
  ) {}

  get pipeline(): Pipeline {
    return (this.#pipeline ??= new Pipeline(this.auth, this.transport, this.settings, this.middleware));
  }

  get closed(): boolean {
    return this.#closed || this.auth.ownerClosed;
  }

  /** Aborted (with ClientClosed) when this client closes: helpers' timers and waits end with it. */
  get closeSignal(): AbortSignal {
    return this.#closing.signal;
  }

  use(list: readonly unknown[]): void {
    for (const m of list) {
      checkMiddleware(m);
      this.middleware.push(m);
    }
  }

  eject(list: readonly unknown[]): void {
    for (const m of list) {
      const i = this.middleware.indexOf(m as Middleware);
      if (i !== -1) this.middleware.splice(i, 1);
    }
  }

  call(operation: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ClientClosed(`${operation.id}: this client was closed`));
    if (this.auth.ownerClosed)
      return Promise.reject(
        new ClientClosed(`${operation.id}: the client owning this token was closed (its token is revoked)`),
      );
    return this.#callEntry(operation, args, options);
  }

  /** ID chunking -> the pipeline (route, validate, the steps, the mode's result); built on first call. */
  get #callEntry(): CallEntry {
    return (this.#entry ??= chunkStep(
      (op, args, options) => this.pipeline.call(op, args, options),
      () => this.auth.baseUrl,
      this.settings.pythonic === true,
    ));
  }

  /** Idempotent and never throws: what goes wrong becomes a warning. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(new ClientClosed("this client was closed"));
    try {
      await this.beforeClose?.();
    } catch (err) {
      this.warn(new RevokeFailed(`close(): ${err instanceof Error ? err.message : String(err)}`));
    }
    try {
      await this.transport.close();
    } catch {
      /* a pool that fails to close has nothing left to give back */
    }
  }
}
