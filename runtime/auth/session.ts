/**
 * The token state every client on one auth object shares (FalconPy issue #829: a refresh by
 * one is seen by all): which source applies to a call made now (the active FalconContext for
 * clients built without credentials, else the legacy token or the client-credentials grant),
 * the owner's transport for token and revoke requests, and whether the owner has closed.
 */
import { FalconContext, type ActiveContext } from "../context.js";
import type { AuthMode, AuthSource } from "../credentials.js";
import type { TimeoutSetting } from "../options.js";
import type { ResolvedBaseUrl, TransportPolicy } from "../regions.js";
import { redact, type RedactOptions } from "../redact.js";
import type { RetryPolicy } from "../retry.js";
import type { DictResult } from "../results.js";
import type { Transport } from "../transport.js";
import { ClientCredentials } from "./client-credentials.js";
import { OAuth2Endpoint } from "./oauth2-endpoint.js";
import { NO_MECHANISM_MESSAGE, failureBody, noMechanism, type AuthOutcome } from "./outcome.js";
import { StaticToken } from "./static-token.js";

export interface AuthSessionSettings {
  readonly source: AuthSource;
  readonly base: ResolvedBaseUrl;
  /** The context active when the owner was built; used when no context is active at call time. */
  readonly capturedContext: ActiveContext | undefined;
  readonly renewWindow: number;
  /** The owner's transport: token and revoke requests share its connection pool. */
  readonly transport: Transport;
  readonly timeout: TimeoutSetting | undefined;
  readonly retry: RetryPolicy;
  /** For URLs learned at run time (redirects, region switches): allowInsecureHttp and the warning sink. */
  readonly policy: TransportPolicy;
}

export class AuthSession {
  readonly #mode: AuthSource["mode"];
  readonly #captured: ActiveContext | undefined;
  readonly #grant: ClientCredentials | undefined;
  readonly #legacy: StaticToken | undefined;
  readonly #base: ResolvedBaseUrl;
  readonly renewWindow: number;
  readonly transport: Transport;
  #closed = false;

  constructor(s: AuthSessionSettings) {
    this.#mode = s.source.mode;
    this.#captured = s.capturedContext;
    this.#base = s.base;
    this.renewWindow = s.renewWindow;
    this.transport = s.transport;
    const source = s.source;
    if (source.mode === "legacy") this.#legacy = new StaticToken(source.token, s.base, "legacy");
    else if (source.mode !== "none") {
      const endpoint = new OAuth2Endpoint(s.transport, s.timeout, s.policy);
      this.#grant = new ClientCredentials({
        grant: source.grant,
        base: s.base,
        renewWindow: s.renewWindow,
        endpoint,
        timeout: s.timeout,
        retry: s.retry,
      });
    }
  }

  /** The key of per-token resources (the 429 cool-down). */
  get authKey(): object {
    return this;
  }

  /** Set when the token owner closed: calls through any client on this token fail with ClientClosed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The context that applies now: only for clients without legacy/creds/direct credentials. */
  #context(): ActiveContext | undefined {
    const m = this.#mode;
    if (m === "legacy" || m === "creds" || m === "direct") return undefined;
    return FalconContext.current() ?? this.#captured;
  }

  /** The ready token in effect now (context or legacy), if any. */
  #static(): StaticToken | undefined {
    return this.#context() ?? this.#legacy;
  }

  /** The mode in effect for a call made now. */
  get mode(): Exclude<AuthMode, "object"> {
    return this.#context() ? "context" : this.#mode;
  }

  get base(): ResolvedBaseUrl {
    return this.#static()?.base ?? this.#grant?.base ?? this.#base;
  }
  get baseUrl(): string {
    return this.base.url;
  }

  /** The client-credentials grant when it is what a call made now uses. */
  #granted(): ClientCredentials | undefined {
    return this.#context() ? undefined : this.#grant;
  }

  get token(): string | undefined {
    return this.#static()?.token ?? this.#grant?.token;
  }
  get tokenStatus(): number | undefined {
    return this.#granted()?.tokenStatus;
  }
  get tokenFailReason(): string | undefined {
    return this.#granted()?.tokenFailReason;
  }
  get tokenExpiration(): number | undefined {
    return this.#granted()?.tokenExpiration;
  }
  get tokenTime(): number | undefined {
    return this.#granted()?.tokenTime;
  }
  get tokenExpired(): boolean {
    const g = this.#granted();
    return g === undefined ? false : g.tokenExpired;
  }
  get authenticated(): boolean {
    return !this.tokenExpired && this.token !== undefined;
  }

  /** What authorize() would answer at once (a usable token), or undefined when it has to wait or fail. */
  authorizedNow(): AuthOutcome | undefined {
    const ready = this.#static();
    return ready ? ready.authorizedNow() : this.#grant?.authorizedNow();
  }

  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome> {
    const ready = this.#static();
    if (ready) return ready.authorize(signal);
    if (this.#grant) return this.#grant.authorize(signal, waitMs);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return Promise.resolve(noMechanism());
  }

  tokenRejected(token: string): void {
    this.#granted()?.tokenRejected(token);
  }

  basicAuthorization(): string | undefined {
    return this.#grant?.basicAuthorization();
  }

  /** Force a token request now; the token endpoint's result, or a 400 result saying why none can be made. */
  requestToken(signal?: AbortSignal): Promise<DictResult<unknown>> {
    const g = this.#granted();
    if (g) return g.requestToken(signal);
    const message =
      this.#mode === "none" && !this.#context()
        ? NO_MECHANISM_MESSAGE
        : "this client authenticates with a ready token (accessToken or FalconContext) and cannot request one";
    return Promise.resolve({ status_code: 400, headers: {}, body: failureBody(400, message) });
  }

  /** Revoke the grant's token; undefined when there are no client credentials to revoke with. */
  async revoke(signal?: AbortSignal): Promise<DictResult<unknown> | undefined> {
    signal?.throwIfAborted();
    return this.#granted()?.revoke(signal);
  }

  /**
   * `value` redacted (see redact()) with every secret of this session hidden wherever it
   * appears, bare in a server's text included: the client credentials, the current and the
   * previous token, a legacy token and the token of the context in effect.
   */
  redact<T>(value: T, options?: RedactOptions): T {
    const known = [...(this.#grant?.secrets() ?? []), this.#legacy?.token, this.#context()?.token];
    return redact(value, { ...options, known });
  }

  /** Client ID and member CID of the client credentials (never the secret). */
  get identity(): { client_id: string; member_cid?: string } | undefined {
    return this.#grant?.identity;
  }

  /** MSSP: log in for another member CID (undefined: the parent) from the next token on; false without client credentials. */
  switchMember(memberCid: string | undefined): boolean {
    if (!this.#grant) return false;
    this.#grant.switchMember(memberCid);
    return true;
  }

  clearFailure(): void {
    this.#grant?.clearFailure();
  }

  /** The owner closes: revoke the token it holds (FalconPy's context manager logs out); nothing works afterwards. */
  async close(): Promise<DictResult<unknown> | undefined> {
    if (this.#closed) return undefined;
    this.#closed = true;
    const g = this.#grant;
    return g && g.token !== undefined ? g.revoke() : undefined;
  }

  toJSON(): object {
    return { mode: this.mode, baseUrl: this.baseUrl };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `AuthSession { mode: '${this.mode}', baseUrl: '${this.baseUrl}' }`;
  }
}
