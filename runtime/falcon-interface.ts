/**
 * FalconInterface: the auth object (FalconPy's name), and a client of its own (the OAuth2 class
 * extends it). Builds its transport first and hands it to its AuthSession, so token and revoke
 * requests share the pool of its API calls. Every client built with `authObject` shares the
 * session (a refresh by one is seen by all) but keeps its own transport settings. Nothing does
 * I/O until the first call, login() or token(). Secrets live only in private fields; toString(),
 * toJSON() and util.inspect() show none.
 */
import "./engine.js";
import { installAliases } from "./aliases.js";
import { AuthSession } from "./auth/session.js";
import { NO_MECHANISM_MESSAGE, type AuthOutcome } from "./auth/outcome.js";
import { hasBrand, isBrandedInstance } from "./brand.js";
import { ClientCore } from "./client.js";
import { ClientBase, attachCore, coreOf } from "./client-base.js";
import { FalconContext } from "./context.js";
import { clampRenewWindow, resolveAuthSource, type AuthMode } from "./credentials.js";
import {
  CannotRevokeToken,
  InvalidCredentialFormat,
  NoAuthenticationMechanism,
  RevokeFailed,
  SharedTokenChannel,
  type SDKWarning,
} from "./errors.js";
import { checkClientOptions, checkSignal, type AuthObjectLike, type FalconOptions } from "./options.js";
import type { PipelineSettings } from "./pipeline/pipeline.js";
import { REDACT_SECRETS, redact, type RedactOptions } from "./redact.js";
import { requireSecureTransport, resolveBaseUrl, type RegionName } from "./regions.js";
import { checkTimeout, resolveRetries, retryAtFrom, type RetryPolicy } from "./retry.js";
import type { DictResult } from "./results.js";
import { createTransport, type Transport } from "./transport.js";

export type { AuthOutcome, AuthFailure, AuthErrorBody } from "./auth/outcome.js";

/**
 * The options with every credential removed: safe to keep, log or serialise (the proxy URL's
 * password and secret extHeaders values redacted too).
 */
export type FalconConfig = Readonly<
  Omit<
    FalconOptions,
    "clientId" | "clientSecret" | "memberCid" | "creds" | "accessToken" | "authObject" | "renewWindow"
  >
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

export function emitWarning(options: Pick<FalconOptions, "onWarning" | "logger">, warning: SDKWarning): void {
  if (options.onWarning) options.onWarning(warning);
  else options.logger?.warn(`${warning.name}: ${warning.message}`);
}

// Only options the caller set override the auth object's (a sharer inherits debug, logger...).
function mergeDefined(root: FalconConfig, own: FalconConfig): FalconConfig {
  const merged: Record<string, unknown> = { ...root };
  // renewWindow belongs to the shared token, so the root's value stands
  for (const [k, v] of Object.entries(own)) if (v !== undefined && k !== "renewWindow") merged[k] = v;
  return Object.freeze(merged) as FalconConfig;
}

const SETTING_KEYS = [
  "pythonic",
  "validatePayloads",
  "debug",
  "logger",
  "sanitizeLog",
  "debugRecordCount",
  "timeout",
  "retries",
  "onWarning",
  "maxResponseBytes",
] as const;

/** A client's pipeline settings: its own options, falling back to its auth object's configuration. */
export function settingsFor(
  own: Partial<FalconOptions> | undefined,
  inherited: Partial<FalconOptions>,
): PipelineSettings {
  const out: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) {
    const v = own?.[k] !== undefined ? own[k] : inherited[k];
    if (v !== undefined) out[k] = v;
  }
  return out as PipelineSettings;
}

/** Bad options fail at construction, naming the option, not on the first call; the retry policy they give. */
export function checkedRetryPolicy(options: FalconOptions): RetryPolicy {
  checkClientOptions(options);
  checkTimeout(options.timeout);
  return resolveRetries(options.retries);
}

/** The options that shape a transport: a client setting none of them shares its token owner's pool. */
const TRANSPORT_KEYS = ["extHeaders", "userAgent", "proxy", "sslVerify", "fetch", "timeout"] as const;

/** Symbol.for(): reachable from another copy of the package (ESM next to CommonJS). */
const TRANSPORT = Symbol.for("falconts.transport");

/**
 * The transport of a client sharing `owner`'s token: the owner's pool when the client sets no
 * transport option of its own, else its own (own proxy, TLS, headers, fetch, timeouts). The
 * bearer token then travels over the client's channel: a different proxy or no TLS check is
 * worth a warning.
 */
export function sharerTransport(
  owner: FalconInterface<boolean>,
  own: FalconOptions,
  connection: FalconConfig,
): Transport {
  const warn = (w: SDKWarning): void => emitWarning(connection, w);
  if (!TRANSPORT_KEYS.some((k) => own[k] !== undefined)) return transportOf(owner).retain();
  const root = owner.rootConfig;
  // the proxy as given (the configs hold it redacted)
  if (own.proxy !== undefined && own.proxy !== connectionOptionsOf(owner).proxy) {
    warn(
      new SharedTokenChannel("this client sends the shared bearer token through its own proxy, not the token owner's"),
    );
  }
  if (own.sslVerify === false && root.sslVerify !== false) {
    warn(
      new SharedTokenChannel(
        "this client sends the shared bearer token without TLS verification (sslVerify: false); its token owner verifies",
      ),
    );
  }
  return createTransport(connection, warn);
}

/** The transport of an auth object (its own API calls, and its token and revoke requests). */
export function transportOf(auth: FalconInterface<boolean>): Transport {
  return auth[TRANSPORT]();
}

/**
 * The connection settings of a client built on `owner` with options of its own (set ones win),
 * unredacted: build its transport from them, show `safeConfig()` of them.
 */
export function sharerConnection(owner: FalconInterface<boolean>, options: FalconOptions): FalconConfig {
  return mergeDefined(connectionOptionsOf(owner), stripSecrets(options));
}

const FALCON_INTERFACE = Symbol.for("falconts.FalconInterface");

/** True for an auth object built by any copy of falconts (branded, not `instanceof`). */
export function isFalconInterface(value: unknown): value is FalconInterface<boolean> {
  return hasBrand(value, FALCON_INTERFACE);
}

// biome-ignore lint/correctness/noUnusedVariables: Mode mirrors the service classes' (OAuth2<true> is pythonic)
export class FalconInterface<Mode extends boolean = false> extends ClientBase {
  readonly [FALCON_INTERFACE] = true;
  readonly #session: AuthSession;
  readonly #config: FalconConfig;
  /** #config with the proxy URL and extHeaders as given (for transports only). */
  readonly #connection: FalconConfig;
  /** The configuration of the object that owns the token (this one, or the authObject's). */
  readonly #rootConfig: FalconConfig;
  /** Built with `authObject`: state belongs to another object. */
  readonly #shared: boolean;

  constructor(options: FalconOptions = {}) {
    super();
    installAliases(new.target, FalconInterface);
    // bad settings fail here, naming the option, not on the first call
    const retry = checkedRetryPolicy(options);
    const own = stripSecrets(options);
    const owner =
      options.authObject !== undefined && options.authObject !== null
        ? FalconInterface.#ownerOf(options.authObject)
        : undefined;
    this.#shared = owner !== undefined;
    if (owner) {
      this.#session = owner.#session;
      this.#rootConfig = owner.#rootConfig;
      this.#connection = sharerConnection(owner, options);
      this.#config = safeConfig(this.#connection);
      const transport = sharerTransport(owner, options, this.#connection);
      attachCore(
        this,
        new ClientCore(this, transport, settingsFor(undefined, this.#config), undefined, (w) =>
          emitWarning(this.#config, w),
        ),
      );
      return;
    }
    this.#connection = own;
    this.#config = safeConfig(own);
    this.#rootConfig = this.#config;
    const warn = (w: SDKWarning): void => emitWarning(options, w);
    const policy = { allowInsecureHttp: options.allowInsecureHttp === true, warn };
    const base = resolveBaseUrl(options.baseUrl);
    requireSecureTransport(base.url, "baseUrl", policy);
    const transport = createTransport(options, warn);
    const source = resolveAuthSource(options);
    const captured = source.mode === "none" || source.mode === "environment" ? FalconContext.current() : undefined;
    this.#session = new AuthSession({
      source,
      base,
      capturedContext: captured,
      renewWindow: own.renewWindow,
      transport,
      timeout: options.timeout,
      retry,
      policy,
    });
    attachCore(this, new ClientCore(this, transport, settingsFor(undefined, own), () => this.#revokeOnClose(), warn));
    if (source.mode === "none" && !captured) warn(new NoAuthenticationMechanism(NO_MECHANISM_MESSAGE));
  }

  static #ownerOf(candidate: AuthObjectLike): FalconInterface<boolean> {
    const inner = typeof candidate === "object" && candidate !== null ? candidate.auth : undefined;
    for (const c of [candidate, inner])
      if (typeof c === "object" && c !== null && #session in c) return c as FalconInterface<boolean>;
    if (isFalconInterface(candidate) || isFalconInterface(inner)) {
      // Built by another copy of falconts (ESM next to CommonJS): its token state is private to
      // that copy. Service classes accept it directly (runtime/service-class.ts); this cannot.
      throw new InvalidCredentialFormat(
        "authObject comes from another copy of falconts (ESM vs CommonJS); pass it to a service class, or build both from one copy",
      );
    }
    throw new InvalidCredentialFormat("authObject must be an OAuth2, a service class or an APIHarnessV2 instance");
  }

  /** `instanceof` by brand, so that an auth object from another copy of the package is recognised. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, FALCON_INTERFACE, FalconInterface);
  }

  get #client(): ClientCore {
    return coreOf(this);
  }

  /** This object's transport, for the clients that share its pool (any copy of the package). */
  [TRANSPORT](): Transport {
    return this.#client.transport;
  }

  /**
   * An identity shared by every client on the same token (this object and all built from it
   * with `authObject`): the key for per-token resources such as the 429 cool-down.
   */
  get authKey(): object {
    return this.#session.authKey;
  }

  /** The token owner's configuration (equal to `config` unless built with `authObject`). */
  get rootConfig(): FalconConfig {
    return this.#rootConfig;
  }

  /** This object as an auth object (service classes and APIHarnessV2 expose theirs as `.auth` too). */
  get auth(): FalconInterface {
    return this as FalconInterface;
  }

  /** The client's options without credentials (plus the clamped renewWindow); a sharer's unset options come from the auth object. */
  get config(): FalconConfig {
    return this.#config;
  }

  /** The config with the proxy URL and extHeaders as given: what transports are built from (see connectionOptionsOf). */
  [CONNECTION_OPTIONS](): FalconConfig {
    return this.#connection;
  }

  /** redact() with this object's secrets (client secret, tokens) hidden wherever they appear: for its clients' errors and logs. */
  [REDACT_SECRETS]<T>(value: T, options?: RedactOptions): T {
    return this.#session.redact(value, options);
  }

  /** The fetch API over this object's transport (its proxy, CA and pool), or the caller's `fetch`. */
  get fetch(): typeof globalThis.fetch {
    return this.#client.transport.fetch;
  }

  /** The API base URL now (changes after region autodiscovery; the context's cloud in context mode). */
  get baseUrl(): string {
    return this.#session.baseUrl;
  }

  /** The region of `baseUrl`, undefined for a custom URL. */
  get region(): RegionName | undefined {
    return this.#session.base.region;
  }

  /** How this client authenticates for a call made now. */
  get authMode(): AuthMode {
    return this.#shared ? "object" : this.#session.mode;
  }

  /** True once this object, or the token owner it shares with, was closed. */
  get closed(): boolean {
    return this.#client.closed;
  }

  /** True once the token owner (this object, or the authObject's owner) was closed. */
  get ownerClosed(): boolean {
    return this.#session.closed;
  }

  /** True when a usable token is held (a method, as FalconPy's). */
  authenticated(): boolean {
    return this.#session.authenticated;
  }
  /** HTTP status of the last token request (201 on success). */
  get tokenStatus(): number | undefined {
    return this.#session.tokenStatus;
  }
  /** The API's error message for the last failed token request. */
  get tokenFailReason(): string | undefined {
    return this.#session.tokenFailReason;
  }
  /** True when the token is missing, rejected, or inside the renew window (a method, as FalconPy's). */
  tokenExpired(): boolean {
    return this.#session.tokenExpired;
  }
  /** Lifetime of the current token in seconds (the API's expires_in). */
  get tokenExpiration(): number | undefined {
    return this.#session.tokenExpiration;
  }
  /** When the current token was issued, seconds since the epoch. */
  get tokenTime(): number | undefined {
    return this.#session.tokenTime;
  }
  /** Seconds before expiry at which the token is refreshed (120-1200). */
  get renewWindow(): number {
    return this.#session.renewWindow;
  }
  /** The current bearer token, if any (FalconPy's token_value). */
  get tokenValue(): string | undefined {
    return this.#session.token;
  }

  /**
   * Bearer headers for a request, logging in or refreshing when needed (single-flight). After a
   * failed login the stored failure is returned until the back-off ends. A 429 from the token
   * endpoint is waited out and retried inside the one login (`retries`, within a numeric
   * `timeout`); when that gives up the outcome is a 429 (APIError), never InvalidCredentials,
   * and no back-off is kept. A failed outcome carries the token endpoint's response headers
   * (lower-case; Set-Cookie and credential headers withheld; {} when no answer came). Rejects
   * only when `signal` aborts (or, past `waitMs`, with a DOMException named "TimeoutError"); a
   * caller's abort ends its own wait, not the login other callers share.
   */
  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome> {
    // the pipeline checked its call's signal already; this guards direct callers, at no cost per call
    try {
      checkSignal(signal, "signal");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#session.authorize(signal, waitMs);
  }

  /** @internal What authorize() would answer at once (a usable token), if anything: the pipeline's fast path. */
  authorizedNow(): AuthOutcome | undefined {
    return this.#session.authorizedNow();
  }

  /** `Basic base64(client_id:client_secret)` for /oauth2/revoke, when client credentials are known. */
  basicAuthorization(): string | undefined {
    return this.#session.basicAuthorization();
  }

  /** The API answered 401 to a call made with `token`: the next authorize() fetches a new one. */
  tokenRejected(token: string): void {
    this.#session.tokenRejected(token);
  }

  /**
   * Request a token now, whatever the state (an explicit login ignores the failure back-off),
   * and return the token endpoint's result, as FalconPy's login() (`authenticated()` says
   * whether it worked).
   */
  login(signal?: AbortSignal): Promise<DictResult<unknown>> {
    checkSignal(signal, "signal");
    this.#session.clearFailure();
    return this.#session.requestToken(signal);
  }

  /** The same as login(): FalconPy's OAuth2.token(). */
  token(signal?: AbortSignal): Promise<DictResult<unknown>> {
    return this.login(signal);
  }

  /** Client ID and member CID of the client credentials, never the secret (FalconPy's `creds` without it). */
  get identity(): { client_id: string; member_cid?: string } | undefined {
    return this.#session.identity;
  }

  /**
   * MSSP: authenticate for `memberCid` (undefined: the parent CID) from the next token on,
   * for every client sharing this auth object; the current token is dropped. False when this
   * object has no client credentials to log in with.
   */
  switchMember(memberCid: string | undefined): boolean {
    return this.#session.switchMember(memberCid);
  }

  /**
   * Revoke the token (POST /oauth2/revoke with Basic auth, form `token`) and forget it locally;
   * the next call logs in again. A 429 is retried as API calls are (`retries`; `signal` cancels
   * the wait). Without client credentials (accessToken, context) there is nothing to revoke
   * with: object mode throws CannotRevokeToken, dict mode returns a 400 result.
   */
  async logout(signal?: AbortSignal): Promise<DictResult<unknown>> {
    checkSignal(signal, "signal");
    const result = await this.#session.revoke(signal);
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

  async #revokeOnClose(): Promise<void> {
    const result = await this.#session.close();
    if (result && result.status_code >= 400) {
      this.#client.warn(new RevokeFailed(`close(): the token could not be revoked (HTTP ${result.status_code})`));
    }
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

  override toString(): string {
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
