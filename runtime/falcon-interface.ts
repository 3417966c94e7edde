/**
 * FalconInterface: the auth object. Holds the client's configuration and the token state, and
 * is shared by every client built with `authObject` (they share one AuthCore, so a refresh by
 * one is seen by all). Nothing here does I/O until the first call, login() or token().
 * Secrets live only in private fields; toString(), toJSON() and util.inspect() show none.
 */
import "./engine.js";
import { installAliases } from "./aliases.js";
import { hasBrand, isBrandedInstance } from "./brand.js";
import { CannotRevokeToken, InvalidCredentialFormat, NoAuthenticationMechanism, type SDKWarning } from "./errors.js";
import { FalconContext } from "./context.js";
import { clampRenewWindow, resolveAuthSource, type AuthMode } from "./credentials.js";
import type { OperationSpec } from "./operation.js";
import { checkClientOptions, checkSignal, type AuthObjectLike, type CallOptions, type FalconOptions } from "./options.js";
import { redact } from "./redact.js";
import { requireSecureTransport, resolveBaseUrl, type RegionName } from "./regions.js";
import { checkTimeout, resolveRetries, retryAtFrom } from "./retry.js";
import type { DictResult } from "./results.js";
import type { ServiceOptions } from "./service-class.js";
import { AuthCore, NO_MECHANISM_MESSAGE, fetchAuthTransport, resolveFetch, wireAuthResponse, type AuthOutcome, type AuthTransport, type FetchLike } from "./token.js";

export type { AuthOutcome, AuthFailure, AuthErrorBody } from "./token.js";

/**
 * The options with every credential removed: safe to keep, log or serialise (the proxy URL's
 * password and secret extHeaders values redacted too).
 */
export type FalconConfig = Readonly<
  Omit<FalconOptions, "clientId" | "clientSecret" | "memberCid" | "creds" | "accessToken" | "authObject" | "renewWindow">
> & { readonly renewWindow: number };

/** The key of the connection settings (the real proxy URL and extHeaders): a method, so no rendering of the object shows them. */
export const CONNECTION_OPTIONS = Symbol.for("falconts.connectionOptions");

/**
 * What a transport is built from: the config with the proxy URL and extHeaders as given. Works
 * for an auth object of another copy of the package (the key is a global symbol).
 */
export function connectionOptionsOf(auth: { readonly config: FalconConfig }): FalconConfig {
  const own = (auth as { [CONNECTION_OPTIONS]?: () => FalconConfig })[CONNECTION_OPTIONS];
  return typeof own === "function" ? own.call(auth) : auth.config;
}

/** The config as shown to anyone: what could carry a credential (proxy user-info, an extHeaders Authorization) redacted. */
function safeConfig(connection: FalconConfig): FalconConfig {
  if (connection.proxy === undefined && connection.extHeaders === undefined) return connection;
  return Object.freeze({ ...connection, proxy: redact(connection.proxy), extHeaders: redact(connection.extHeaders) });
}

function stripSecrets(options: FalconOptions): FalconConfig {
  const {
    clientId: _id,
    clientSecret: _secret,
    memberCid: _member,
    creds: _creds,
    accessToken: _token,
    authObject: _object,
    renewWindow,
    ...rest
  } = options;
  return Object.freeze({ ...rest, renewWindow: clampRenewWindow(renewWindow) });
}

export function emitWarning(options: FalconOptions, warning: SDKWarning): void {
  if (options.onWarning) options.onWarning(warning);
  else options.logger?.warn(`${warning.name}: ${warning.message}`);
}

/** The transport module is Node-oriented (undici) and loaded on first use only. */
function loadRequestModule(): Promise<typeof import("./request.js")> {
  return import("./request.js");
}

// Only options the caller set override the auth object's (a sharer inherits debug, logger...).
function mergeDefined(root: FalconConfig, own: FalconConfig): FalconConfig {
  const merged: Record<string, unknown> = { ...root };
  // renewWindow belongs to the shared token, so the root's value stands
  for (const [k, v] of Object.entries(own)) if (v !== undefined && k !== "renewWindow") merged[k] = v;
  return Object.freeze(merged) as FalconConfig;
}

const FALCON_INTERFACE = Symbol.for("falconts.FalconInterface");

/** True for an auth object built by any copy of falconts (branded, not `instanceof`). */
export function isFalconInterface(value: unknown): value is FalconInterface<boolean> {
  return hasBrand(value, FALCON_INTERFACE);
}

export class FalconInterface<Mode extends boolean = false> {
  readonly [FALCON_INTERFACE] = true;
  readonly #core: AuthCore;
  readonly #config: FalconConfig;
  /** #config with the proxy URL and extHeaders as given (for transports only). */
  readonly #connection: FalconConfig;
  /** The configuration of the object that owns the token (this one, or the authObject's). */
  readonly #rootConfig: FalconConfig;
  /** Built with `authObject`: state belongs to another object. */
  readonly #shared: boolean;

  constructor(options: ServiceOptions<Mode> | FalconOptions = {}) {
    installAliases(new.target, FalconInterface);
    // bad settings fail here, naming the option, not on the first call
    checkClientOptions(options);
    const retry = resolveRetries(options.retries);
    checkTimeout(options.timeout);
    const own = stripSecrets(options);
    const shared =
      options.authObject !== undefined && options.authObject !== null ? FalconInterface.#ownerOf(options.authObject) : undefined;
    this.#shared = shared !== undefined;
    if (shared) {
      this.#core = shared.#core;
      this.#rootConfig = shared.#rootConfig;
      this.#connection = mergeDefined(shared.#connection, own);
      this.#config = safeConfig(this.#connection);
      return;
    }
    this.#connection = own;
    this.#config = safeConfig(own);
    this.#rootConfig = this.#config;
    const source = resolveAuthSource(options);
    const base = resolveBaseUrl(options.baseUrl);
    requireSecureTransport(base.url, "baseUrl", { allowInsecureHttp: options.allowInsecureHttp === true, warn: (w) => emitWarning(options, w) });
    const captured = source.mode === "none" || source.mode === "environment" ? FalconContext.current() : undefined;
    const core: AuthCore = new AuthCore({
      source,
      base,
      capturedContext: captured,
      renewWindow: own.renewWindow,
      transport: () => authTransport(core, own),
      timeout: options.timeout,
      retry,
    });
    this.#core = core;
    if (source.mode === "none" && !captured) {
      emitWarning(options, new NoAuthenticationMechanism(NO_MECHANISM_MESSAGE));
    }
  }

  static #ownerOf(candidate: AuthObjectLike): FalconInterface<boolean> {
    const inner = typeof candidate === "object" && candidate !== null ? candidate.auth : undefined;
    for (const c of [candidate, inner]) if (typeof c === "object" && c !== null && #core in c) return c as FalconInterface<boolean>;
    if (isFalconInterface(candidate) || isFalconInterface(inner)) {
      // Built by another copy of falconts (ESM next to CommonJS): its token state is private to
      // that copy. Service classes accept it directly (runtime/service-class.ts); this cannot.
      throw new InvalidCredentialFormat("authObject comes from another copy of falconts (ESM vs CommonJS); pass it to a service class, or build both from one copy");
    }
    throw new InvalidCredentialFormat("authObject must be an OAuth2, a service class or an APIHarnessV2 instance");
  }

  /** `instanceof` by brand, so that an auth object from another copy of the package is recognised. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, FALCON_INTERFACE, FalconInterface);
  }

  /**
   * An identity shared by every client on the same token (this object and all built from it
   * with `authObject`): the key for per-token resources such as the transport's connection pool.
   */
  get authKey(): object {
    return this.#core;
  }

  /** The token owner's configuration (equal to `config` unless built with `authObject`). */
  get rootConfig(): FalconConfig {
    return this.#rootConfig;
  }

  /** This object as an auth object (service classes and APIHarnessV2 expose theirs as `.auth` too). */
  get auth(): FalconInterface {
    return this;
  }

  /** The client's options without credentials (plus the clamped renewWindow); a sharer's unset options come from the auth object. */
  get config(): FalconConfig {
    return this.#config;
  }

  /** The config with the proxy URL and extHeaders as given: what transports are built from (see connectionOptionsOf). */
  [CONNECTION_OPTIONS](): FalconConfig {
    return this.#connection;
  }

  /** The caller's fetch (`options.fetch`), else the global one. The pipeline sends through its transport instead. */
  get fetch(): FetchLike {
    return resolveFetch(this.#config);
  }

  /** The API base URL now (changes after region autodiscovery; the context's cloud in context mode). */
  get baseUrl(): string {
    return this.#core.base.url;
  }

  /** The region of `baseUrl`, undefined for a custom URL. */
  get region(): RegionName | undefined {
    return this.#core.base.region;
  }

  /** How this client authenticates for a call made now. */
  get authMode(): AuthMode {
    return this.#shared ? "object" : this.#core.mode;
  }

  /** True when a usable token is held (a method, as FalconPy's). */
  authenticated(): boolean {
    return this.#core.authenticated;
  }
  /** HTTP status of the last token request (201 on success). */
  get tokenStatus(): number | undefined {
    return this.#core.tokenStatus;
  }
  /** The API's error message for the last failed token request. */
  get tokenFailReason(): string | undefined {
    return this.#core.tokenFailReason;
  }
  /** True when the token is missing, rejected, or inside the renew window (a method, as FalconPy's). */
  tokenExpired(): boolean {
    return this.#core.tokenExpired;
  }
  /** Lifetime of the current token in seconds (the API's expires_in). */
  get tokenExpiration(): number | undefined {
    return this.#core.tokenExpiration;
  }
  /** When the current token was issued, seconds since the epoch. */
  get tokenTime(): number | undefined {
    return this.#core.tokenTime;
  }
  /** Seconds before expiry at which the token is refreshed (120-1200). */
  get renewWindow(): number {
    return this.#core.renewWindow;
  }
  /** The current bearer token, if any (FalconPy's token_value). */
  get tokenValue(): string | undefined {
    return this.#core.token;
  }

  /**
   * Bearer headers for a request, logging in or refreshing when needed (single-flight). After a
   * failed login the stored failure is returned until the back-off ends. A 429 from the token
   * endpoint is waited out and retried inside the one login (`retries`, within a numeric
   * `timeout`); when that gives up the outcome is a 429 (APIError), never InvalidCredentials,
   * and no back-off is kept. A failed outcome carries the token endpoint's response headers
   * (lower-case; Set-Cookie and credential headers withheld; {} when no answer came). Rejects
   * only when `signal` aborts; a caller's abort ends its own wait, not the login other callers
   * share (the request pipeline bounds it this way by a call's numeric `timeout`).
   */
  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome> {
    // the pipeline checked its call's signal already; this guards direct callers, at no cost per call
    try {
      checkSignal(signal, "signal");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#core.authorize(signal, waitMs);
  }

  /** `Basic base64(client_id:client_secret)` for /oauth2/revoke, when client credentials are known. */
  basicAuthorization(): string | undefined {
    return this.#core.basicAuthorization();
  }

  /** The API answered 401 to a call made with `token`: the next authorize() fetches a new one. */
  tokenRejected(token: string): void {
    this.#core.tokenRejected(token);
  }

  /**
   * Request a token now, whatever the state (an explicit login ignores the failure back-off),
   * and return the token endpoint's result, as FalconPy's login() (`authenticated()` says
   * whether it worked).
   */
  login(signal?: AbortSignal): Promise<DictResult<unknown>> {
    checkSignal(signal, "signal");
    this.#core.clearFailure();
    return this.#core.requestToken(signal);
  }

  /** The same as login(): FalconPy's OAuth2.token(). */
  token(signal?: AbortSignal): Promise<DictResult<unknown>> {
    return this.login(signal);
  }

  /** Client ID and member CID of the client credentials, never the secret (FalconPy's `creds` without it). */
  get identity(): { client_id: string; member_cid?: string } | undefined {
    return this.#core.identity;
  }

  /**
   * MSSP: authenticate for `memberCid` (undefined: the parent CID) from the next token on,
   * for every client sharing this auth object; the current token is dropped. False when this
   * object has no client credentials to log in with.
   */
  switchMember(memberCid: string | undefined): boolean {
    return this.#core.switchMember(memberCid);
  }

  /**
   * Revoke the token (POST /oauth2/revoke with Basic auth, form `token`) and forget it locally;
   * the next call logs in again. A 429 is retried as API calls are (`retries`; `signal` cancels
   * the wait). Without client credentials (accessToken, context) there is nothing to revoke
   * with: object mode throws CannotRevokeToken, dict mode returns a 400 result.
   */
  async logout(signal?: AbortSignal): Promise<DictResult<unknown>> {
    checkSignal(signal, "signal");
    const result = await this.#core.revoke(signal);
    const failed = !result || result.status_code >= 400;
    if (failed && this.#config.pythonic) {
      const reason = !result
        ? "no client credentials to revoke with"
        : result.status_code === 429
          ? `HTTP 429 (rate-limited${waitOf(result.headers)})`
          : `HTTP ${result.status_code}`;
      throw new CannotRevokeToken(`logout failed: ${reason}`);
    }
    return (
      result ?? {
        status_code: 400,
        headers: {},
        body: { meta: {}, errors: [{ code: 400, message: "cannot revoke: this client has no client credentials" }] },
      }
    );
  }

  /**
   * Send one operation through the request pipeline (the OAuth2 class's generated methods call
   * this, as service classes call ServiceClass.call). DELEGATION POINT: the pipeline is the
   * transport helper's `callOperation` (runtime/service-class.ts), imported on first use because
   * service-class.ts imports this module.
   */
  protected async call<R>(operation: OperationSpec, args: object | undefined, options: CallOptions | undefined): Promise<R> {
    const { callOperation } = await import("./service-class.js");
    return (await callOperation(this, operation, args, options)) as R;
  }

  #summary(): Record<string, unknown> {
    return {
      authMode: this.authMode,
      baseUrl: this.baseUrl,
      authenticated: this.authenticated(),
      tokenStatus: this.tokenStatus,
      tokenExpiration: this.tokenExpiration,
    };
  }

  toJSON(): Record<string, unknown> {
    return this.#summary();
  }

  toString(): string {
    return `${this.constructor.name}(authMode=${this.authMode}, baseUrl=${this.baseUrl}, authenticated=${this.authenticated()})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    const s = this.#summary();
    const parts = Object.entries(s).map(([k, v]) => `${k}: ${typeof v === "string" ? `'${v}'` : String(v)}`);
    return `${this.constructor.name} { ${parts.join(", ")} }`;
  }
}

/** "; the API asks to wait N s" from a 429's headers, or "" when it named no wait. */
function waitOf(headers: Readonly<Record<string, string>>): string {
  const now = Date.now();
  const at = retryAtFrom(headers, now);
  return at === undefined ? "" : `; the API asks to wait ${Math.max(0, Math.ceil((at - now) / 1000))} s`;
}

/**
 * The auth layer's single HTTP seam: the undici transport shared with the request pipeline
 * (proxy, CA, pool, user-agent and extHeaders), keyed by the token owner; where that module
 * cannot load (a runtime without undici), `options.fetch` or the global fetch.
 */
async function authTransport(key: object, config: FalconConfig): Promise<AuthTransport> {
  let mod: typeof import("./request.js");
  try {
    mod = await loadRequestModule();
  } catch {
    return fetchAuthTransport(resolveFetch(config), config.userAgent ? { "user-agent": config.userAgent } : {});
  }
  const transport = mod.transportFor(key, config);
  return {
    headers: transport.baseHeaders,
    post: (url, init) => transport.send(url.href, { method: "POST", ...init }).then(wireAuthResponse),
  };
}
