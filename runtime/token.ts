/**
 * The token lifecycle behind FalconInterface: lazy login, refresh inside the renew window,
 * single-flight token requests, failure memory with back-off, revocation, and region
 * autodiscovery from the token response. One AuthCore is shared by every client built on the
 * same auth object, so a refresh by one is seen by all (FalconPy issue #829).
 */
import {
  APIError,
  InvalidCredentials,
  NetworkError,
  SDKError,
  TimeoutError,
  TokenNotSpecified,
} from "./errors.js";
import { FalconContext, type ActiveContext } from "./context.js";
import type { AuthMode, AuthSource, ClientGrant } from "./credentials.js";
import type { FalconOptions, TimeoutSetting } from "./options.js";
import { GOV_REGIONS, isRegionHost, regionBase, regionFromHeader, regionOfUrl, type ResolvedBaseUrl } from "./regions.js";
import type { DictResult } from "./results.js";

export type FetchLike = typeof globalThis.fetch;

export interface AuthErrorBody {
  meta?: Record<string, unknown>;
  errors: { code?: number; message: string }[];
}

export type AuthFailure = { ok: false; status: number; body: AuthErrorBody; error: SDKError };
export type AuthOutcome = { ok: true; headers: Record<string, string> } | AuthFailure;

/** What token and revoke requests are sent with: a fetch and the headers every request carries. */
export interface AuthTransport {
  readonly fetch: FetchLike;
  readonly headers: Readonly<Record<string, string>>;
}

/** The plain fetch: `options.fetch`, else the runtime's global fetch. */
export function resolveFetch(options: Pick<FalconOptions, "fetch">): FetchLike {
  const f = options.fetch ?? globalThis.fetch;
  if (typeof f !== "function") throw new SDKError("no fetch implementation available: pass options.fetch");
  return f;
}

/** First back-off after a failed login, and its cap (seconds). */
export const BACKOFF_START = 15;
export const BACKOFF_MAX = 300;
/** Default limit for one token/revoke exchange when no `timeout` is configured (seconds). */
const DEFAULT_TOKEN_TIMEOUT = 30;
const MAX_REDIRECTS = 3;

function timeoutMs(t: TimeoutSetting | undefined): number {
  if (typeof t === "number" && t > 0) return t * 1000;
  if (t && typeof t === "object") {
    const total = (t.connect ?? 0) + (t.read ?? 0);
    if (total > 0) return total * 1000;
  }
  return DEFAULT_TOKEN_TIMEOUT * 1000;
}

function headersRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

function failureBody(status: number, message: string, meta?: Record<string, unknown>): AuthErrorBody {
  return { meta: meta ?? {}, errors: [{ code: status, message }] };
}

/** Wait for `p`, but give up (for this caller only) when `signal` aborts. */
function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = cause && typeof cause.code === "string" ? cause.code : cause && typeof cause.message === "string" ? cause.message : undefined;
    return detail ? `${err.message} (${detail})` : err.message;
  }
  return String(err);
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

export interface AuthCoreSettings {
  readonly source: AuthSource;
  readonly base: ResolvedBaseUrl;
  /** The context active when the owning client was built; used when no context is active at call time. */
  readonly capturedContext: ActiveContext | undefined;
  readonly renewWindow: number;
  /**
   * The single seam for the auth layer's HTTP: resolved once, on the first token or revoke
   * request (FalconInterface supplies the shared undici transport of runtime/request.ts).
   */
  readonly transport: () => Promise<AuthTransport>;
  readonly timeout: TimeoutSetting | undefined;
}

interface TokenExchange {
  readonly response: Response;
  readonly finalUrl: URL;
  /** X-Cs-Region seen on a redirect on the way (the final answer may lack it). */
  readonly redirectRegion: string | null;
}

export class AuthCore {
  readonly #source: AuthSource;
  readonly #captured: ActiveContext | undefined;
  readonly #renewWindow: number;
  readonly #transportSource: () => Promise<AuthTransport>;
  #transport: Promise<AuthTransport> | undefined;
  readonly #timeoutMs: number;
  #base: ResolvedBaseUrl;

  #token: string | undefined;
  /** ms since epoch when the current token was issued. */
  #tokenTime: number | undefined;
  /** expires_in of the current token, seconds. */
  #expiresIn: number | undefined;
  /** Set by tokenRejected(): the API refused the current token, so the next use refreshes. */
  #stale = false;
  #status: number | undefined;
  #failReason: string | undefined;
  #failure: AuthFailure | undefined;
  #retryAt = 0;
  #backoff = 0;
  #flight: Promise<DictResult<unknown>> | undefined;

  constructor(settings: AuthCoreSettings) {
    this.#source = settings.source;
    this.#base = settings.base;
    this.#captured = settings.capturedContext;
    this.#renewWindow = settings.renewWindow;
    this.#transportSource = settings.transport;
    this.#timeoutMs = timeoutMs(settings.timeout);
  }
  get renewWindow(): number {
    return this.#renewWindow;
  }

  /** The context that applies now: only for clients without legacy/creds/direct credentials. */
  #context(): ActiveContext | undefined {
    const m = this.#source.mode;
    if (m === "legacy" || m === "creds" || m === "direct") return undefined;
    return FalconContext.current() ?? this.#captured;
  }

  #grant(): ClientGrant | undefined {
    return "grant" in this.#source ? this.#source.grant : undefined;
  }

  /** The mode in effect for a call made now. */
  get mode(): Exclude<AuthMode, "object"> {
    return this.#context() ? "context" : this.#source.mode;
  }

  get base(): ResolvedBaseUrl {
    return this.#context()?.base ?? this.#base;
  }

  // ---- state getters (FalconPy names) ----

  get token(): string | undefined {
    const ctx = this.#context();
    if (ctx) return ctx.token;
    if (this.#source.mode === "legacy") return this.#source.token;
    return this.#token;
  }
  get tokenStatus(): number | undefined {
    return this.#context() || this.#source.mode === "legacy" ? undefined : this.#status;
  }
  get tokenFailReason(): string | undefined {
    return this.#context() || this.#source.mode === "legacy" ? undefined : this.#failReason;
  }
  /** expires_in of the current token (seconds). */
  get tokenExpiration(): number | undefined {
    return this.#context() || this.#source.mode === "legacy" ? undefined : this.#expiresIn;
  }
  /** When the current token was issued (seconds since the epoch). */
  get tokenTime(): number | undefined {
    return this.#context() || this.#source.mode === "legacy" ? undefined : this.#tokenTime === undefined ? undefined : this.#tokenTime / 1000;
  }
  /** True when the token is missing, rejected, or inside the renew window. */
  get tokenExpired(): boolean {
    if (this.#context() || this.#source.mode === "legacy") return false;
    return !this.#usable(Date.now());
  }
  get authenticated(): boolean {
    return !this.tokenExpired && this.token !== undefined;
  }

  #usable(now: number): boolean {
    if (this.#token === undefined || this.#stale || this.#tokenTime === undefined || this.#expiresIn === undefined) return false;
    return now < this.#tokenTime + (this.#expiresIn - this.#renewWindow) * 1000;
  }

  /** Not yet past its real expiry: still worth sending while a refresh is failing. */
  #stillValid(now: number): boolean {
    if (this.#token === undefined || this.#stale || this.#tokenTime === undefined || this.#expiresIn === undefined) return false;
    return now < this.#tokenTime + this.#expiresIn * 1000;
  }

  // ---- the pipeline's entry points ----

  async authorize(signal?: AbortSignal): Promise<AuthOutcome> {
    signal?.throwIfAborted();
    const ctx = this.#context();
    if (ctx) return bearer(ctx.token);
    const source = this.#source;
    if (source.mode === "legacy") return bearer(source.token);
    if (source.mode === "none") return noMechanism();

    const now = Date.now();
    if (this.#usable(now) && this.#token) return bearer(this.#token);
    if (this.#failure && now < this.#retryAt) {
      // Falcon limits failed token requests per IP: answer from memory until the back-off ends.
      return this.#stillValid(now) && this.#token ? bearer(this.#token) : this.#failure;
    }
    await raceSignal(this.#refresh(), signal);
    const after = Date.now();
    if (this.#usable(after) && this.#token) return bearer(this.#token);
    if (this.#stillValid(after) && this.#token) return bearer(this.#token);
    return this.#failure ?? noToken();
  }

  /** The API answered 401 to a call made with `token`: refresh before the next use. */
  tokenRejected(token: string): void {
    if (this.#context() || this.#source.mode === "legacy") return;
    if (token === this.#token) this.#stale = true;
  }

  basicAuthorization(): string | undefined {
    const grant = this.#grant();
    if (!grant) return undefined;
    return `Basic ${base64(`${grant.clientId}:${grant.clientSecret}`)}`;
  }

  /** Force a token request now (joins one already in flight). Returns the token endpoint's result. */
  async requestToken(signal?: AbortSignal): Promise<DictResult<unknown>> {
    const ctx = this.#context();
    const source = this.#source;
    if (ctx || source.mode === "legacy" || source.mode === "none") {
      const message =
        source.mode === "none" && !ctx
          ? NO_MECHANISM_MESSAGE
          : "this client authenticates with a ready token (accessToken or FalconContext) and cannot request one";
      return { status_code: 400, headers: {}, body: failureBody(400, message) };
    }
    return raceSignal(this.#refresh(), signal);
  }

  #refresh(): Promise<DictResult<unknown>> {
    this.#flight ??= this.#exchangeToken().finally(() => {
      this.#flight = undefined;
    });
    return this.#flight;
  }

  /** POST with redirects followed only for the OAuth2 routes, and only to Falcon gateways or the same origin. */
  async #post(route: "/oauth2/token" | "/oauth2/revoke", form: URLSearchParams, headers: Record<string, string>): Promise<TokenExchange> {
    this.#transport ??= this.#transportSource();
    const transport = await this.#transport;
    let url = new URL(this.#base.url + route);
    let redirectRegion: string | null = null;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const body = form.toString();
    for (let hop = 0; ; hop++) {
      const response = await transport.fetch(url, { method: "POST", headers: { ...transport.headers, ...headers }, body, redirect: "manual", signal });
      if ((response.status === 307 || response.status === 308) && hop < MAX_REDIRECTS) {
        const location = response.headers.get("location");
        let next: URL | undefined;
        try {
          next = location ? new URL(location, url) : undefined;
        } catch {
          next = undefined;
        }
        // Form bodies carry the client secret: never replay them to an unknown host.
        if (next && (next.origin === url.origin || isRegionHost(next))) {
          redirectRegion = response.headers.get("x-cs-region") ?? redirectRegion;
          await response.body?.cancel().catch(() => undefined);
          url = next;
          continue;
        }
      }
      return { response, finalUrl: url, redirectRegion };
    }
  }

  #baseHeaders(): Record<string, string> {
    return { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  }

  async #exchangeToken(): Promise<DictResult<unknown>> {
    const grant = this.#grant();
    if (!grant) return { status_code: 400, headers: {}, body: failureBody(400, NO_MECHANISM_MESSAGE) };
    const form = new URLSearchParams({ client_id: grant.clientId, client_secret: grant.clientSecret });
    if (grant.memberCid) form.set("member_cid", grant.memberCid);

    let exchange: TokenExchange;
    let text: string;
    try {
      exchange = await this.#post("/oauth2/token", form, this.#baseHeaders());
      text = await exchange.response.text();
    } catch (err) {
      const timeout = isTimeout(err);
      const message = `token request failed: ${timeout ? "timed out" : describeNetworkError(err)}`;
      const error = timeout ? new TimeoutError(message, "oauth2AccessToken") : new NetworkError(message, { cause: err });
      return this.#fail(500, failureBody(500, message), message, error, {});
    }
    const { response } = exchange;
    const headers = headersRecord(response.headers);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // keep the text: an HTML error page says more than a parse error
    }
    const result: DictResult<unknown> = { status_code: response.status, headers, body };
    const parsed = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
    const accessToken = parsed?.["access_token"];

    if (response.ok && typeof accessToken === "string" && accessToken) {
      const expires = Number(parsed?.["expires_in"]);
      this.#token = accessToken;
      this.#tokenTime = Date.now();
      this.#expiresIn = Number.isFinite(expires) && expires > 0 ? expires : 1799;
      this.#stale = false;
      this.#status = response.status;
      this.#failReason = undefined;
      this.#failure = undefined;
      this.#backoff = 0;
      this.#retryAt = 0;
      this.#discoverRegion(response.headers.get("x-cs-region") ?? exchange.redirectRegion, exchange.finalUrl);
      return result;
    }

    const apiErrors = parsed?.["errors"];
    const first = Array.isArray(apiErrors) ? (apiErrors[0] as { message?: unknown } | undefined) : undefined;
    const reason =
      typeof first?.message === "string"
        ? first.message
        : response.ok
          ? "token response carried no access_token"
          : typeof body === "string" && body.trim()
            ? body.trim().slice(0, 300)
            : `token request failed with HTTP ${response.status}`;
    const status = response.ok ? 500 : response.status;
    const meta = parsed && typeof parsed["meta"] === "object" && parsed["meta"] !== null ? (parsed["meta"] as Record<string, unknown>) : {};
    const errBody: AuthErrorBody =
      Array.isArray(apiErrors) && apiErrors.length ? { meta, errors: apiErrors as AuthErrorBody["errors"] } : failureBody(status, reason, meta);
    const error =
      status === 400 || status === 401 || status === 403
        ? new InvalidCredentials(`authentication failed (HTTP ${status}): ${reason}`)
        : new APIError(status, `token request failed (HTTP ${status}): ${reason}`, errBody, headers);
    this.#fail(status, errBody, reason, error, headers);
    return result;
  }

  #fail(status: number, body: AuthErrorBody, reason: string, error: SDKError, headers: Record<string, string>): DictResult<unknown> {
    this.#status = status;
    this.#failReason = reason;
    this.#failure = { ok: false, status, body, error };
    this.#backoff = this.#backoff ? Math.min(this.#backoff * 2, BACKOFF_MAX) : BACKOFF_START;
    this.#retryAt = Date.now() + this.#backoff * 1000;
    return { status_code: status, headers, body };
  }

  /** After a successful token request: switch to the region the API named, when allowed. */
  #discoverRegion(header: string | null, finalUrl: URL): void {
    if (!this.#base.discoverable) return; // custom gateway or GovCloud: never replaced
    const region = regionFromHeader(header) ?? regionOfUrl(finalUrl.origin);
    if (!region || GOV_REGIONS.has(region) || region === this.#base.region) return;
    this.#base = regionBase(region);
  }

  /** Revoke the current token (Basic auth, form `token`) and forget it; the next call logs in again. */
  async revoke(): Promise<DictResult<unknown> | undefined> {
    const grant = this.#grant();
    if (!grant || this.#context()) return undefined;
    if (this.#flight) await this.#flight.catch(() => undefined);
    const token = this.#token;
    this.forget();
    if (!token) return { status_code: 200, headers: {}, body: { meta: {}, resources: [], errors: [] } };
    const headers = { ...this.#baseHeaders(), authorization: this.basicAuthorization() ?? "" };
    try {
      const { response } = await this.#post("/oauth2/revoke", new URLSearchParams({ token }), headers);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        // non-JSON answer: keep its text
      }
      return { status_code: response.status, headers: headersRecord(response.headers), body };
    } catch (err) {
      const message = `revoke request failed: ${isTimeout(err) ? "timed out" : describeNetworkError(err)}`;
      return { status_code: 500, headers: {}, body: failureBody(500, message) };
    }
  }

  /** Drop the token and any remembered failure. */
  forget(): void {
    this.#token = undefined;
    this.#tokenTime = undefined;
    this.#expiresIn = undefined;
    this.#stale = false;
    this.#failure = undefined;
    this.#failReason = undefined;
    this.#status = undefined;
    this.#backoff = 0;
    this.#retryAt = 0;
  }

  /** Explicit login(): the remembered failure does not block it. */
  clearFailure(): void {
    this.#failure = undefined;
    this.#retryAt = 0;
  }

  toJSON(): object {
    return { mode: this.mode, baseUrl: this.base.url };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `AuthCore { mode: '${this.mode}', baseUrl: '${this.base.url}' }`;
  }
}

export const NO_MECHANISM_MESSAGE =
  "no authentication mechanism: give clientId/clientSecret, creds, authObject, accessToken, " +
  "run inside FalconContext.run(), or set FALCON_CLIENT_ID/FALCON_CLIENT_SECRET";

function bearer(token: string): AuthOutcome {
  return { ok: true, headers: { authorization: `Bearer ${token}` } };
}

function noMechanism(): AuthFailure {
  return { ok: false, status: 401, body: failureBody(401, NO_MECHANISM_MESSAGE), error: new TokenNotSpecified(NO_MECHANISM_MESSAGE) };
}

function noToken(): AuthFailure {
  const message = "no token available";
  return { ok: false, status: 401, body: failureBody(401, message), error: new InvalidCredentials(message) };
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
