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
import { DEFAULT_RETRY, rateLimitWait, sleep, type RetryPolicy } from "./retry.js";
import { GOV_REGIONS, isRegionHost, regionBase, regionFromHeader, regionOfUrl, type ResolvedBaseUrl } from "./regions.js";
import { redact } from "./redact.js";
import type { DictResult } from "./results.js";
import type { WireResponse } from "./transport.js";

export type FetchLike = typeof globalThis.fetch;

export interface AuthErrorBody {
  meta?: Record<string, unknown>;
  errors: { code?: number; message: string }[];
}

/**
 * Why a call could not get a token. `headers` are the token endpoint's answer's headers (lower-case
 * names, see authResultHeaders: X-Cs-TraceId, X-RateLimit-*, X-Cs-Region...), so that a dict
 * result of a failed login carries them; empty when no answer came (network failure, timeout,
 * no credentials). A failure answered from memory during the back-off keeps the headers of the
 * answer that caused it.
 */
export type AuthFailure = { ok: false; status: number; body: AuthErrorBody; error: SDKError; headers: Record<string, string> };
export type AuthOutcome = { ok: true; headers: Record<string, string> } | AuthFailure;

/** What the auth code reads of a token or revoke answer. */
export interface AuthResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  text(): Promise<string>;
  /** Drops a body nobody will read (a redirect's). */
  discard(): Promise<void>;
}

/** What token and revoke requests are sent with: a POST that follows no redirect, and the headers every request carries. */
export interface AuthTransport {
  post(url: URL, init: { headers: Record<string, string>; body: string; signal: AbortSignal }): Promise<AuthResponse>;
  readonly headers: Readonly<Record<string, string>>;
}

/** An answer from the SDK's transport (undici's request(), or sendFetch for a custom fetch). */
export function wireAuthResponse(w: WireResponse): AuthResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return {
    status: w.statusCode,
    headers,
    text: async () => {
      if (w.body.text) return w.body.text();
      let out = "";
      for await (const chunk of w.body) out += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      return out;
    },
    discard: async () => {
      if (w.body.dump) await w.body.dump();
      else w.body.destroy();
    },
  };
}

/** Token requests over a plain fetch (where the SDK's transport cannot load). */
export function fetchAuthTransport(f: FetchLike, headers: Readonly<Record<string, string>>): AuthTransport {
  return {
    headers,
    post: async (url, init) => {
      const r = await f(url, { method: "POST", ...init, redirect: "manual" });
      return { status: r.status, headers: headersRecord(r.headers), text: () => r.text(), discard: async () => void (await r.body?.cancel()) };
    },
  };
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

/** A `timeout` given as one number is the whole request: a login's attempts and waits end by it (ms). */
function totalMs(t: TimeoutSetting | undefined): number | undefined {
  return typeof t === "number" && t > 0 ? t * 1000 : undefined;
}

function timeoutMs(t: TimeoutSetting | undefined): number {
  if (typeof t === "number" && t > 0) return t * 1000;
  if (t && typeof t === "object") {
    const total = (t.connect ?? 0) + (t.read ?? 0);
    if (total > 0) return total * 1000;
  }
  return DEFAULT_TOKEN_TIMEOUT * 1000;
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

function headersRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

/**
 * Response headers that never leave the auth layer in another call's result or error: cookies a
 * gateway may set on the token exchange, and any credential header an odd proxy echoes back.
 * FalconPy's OAuth2.token() result (requestToken) still shows the token endpoint's answer whole.
 */
const WITHHELD_HEADERS = new Set(["set-cookie", "set-cookie2", "authorization", "proxy-authorization", "cookie"]);

/** The token endpoint's response headers as a failed call's result carries them: everything but WITHHELD_HEADERS (a copy). */
function authResultHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!WITHHELD_HEADERS.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

function failureBody(status: number, message: string, meta?: Record<string, unknown>): AuthErrorBody {
  return { meta: meta ?? {}, errors: [{ code: status, message }] };
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
  /**
   * The token owner's `retries`: how often a 429 from /oauth2/token or /oauth2/revoke is
   * retried and the longest single wait (default DEFAULT_RETRY).
   */
  readonly retry?: RetryPolicy;
}

/** What one login (a token request, with its 429 retries) ends with. */
interface Exchanged {
  /** The token endpoint's last answer (FalconPy's OAuth2.token() result). */
  readonly result: DictResult<unknown>;
  /** Why there is no token, when there is none: what callers of authorize() get. */
  readonly failure?: AuthFailure;
}

/** A 429 from an OAuth2 route, and when the API said to come back (epoch ms, if it said). */
interface Limited {
  readonly result: DictResult<unknown>;
  readonly retryAt: number | undefined;
}

/** The single login in flight, joined by every caller that needs a token meanwhile. */
class Flight {
  promise!: Promise<Exchanged>;
  /** Callers still waiting; when every one of them has aborted, the flight stops waiting. */
  waiters = 0;
  /**
   * Aborted when the last waiter leaves (its signal or its per-call timeout). Replaced when a
   * caller joins after that, so that one caller's short timeout never cuts short a caller who
   * joined later: the flight reads it afresh at each wait and each decision.
   */
  cancel = new AbortController();
  get cancelled(): AbortSignal {
    return this.cancel.signal;
  }
}

interface TokenExchange {
  readonly response: AuthResponse;
  readonly finalUrl: URL;
  /** X-Cs-Region seen on a redirect on the way (the final answer may lack it). */
  readonly redirectRegion: string | null;
}

export class AuthCore {
  /** Replaced only by switchMember() (FalconPy's child_login / child_logout). */
  #source: AuthSource;
  readonly #captured: ActiveContext | undefined;
  readonly #renewWindow: number;
  readonly #transportSource: () => Promise<AuthTransport>;
  #transport: Promise<AuthTransport> | undefined;
  readonly #timeoutMs: number;
  readonly #totalMs: number | undefined;
  readonly #retry: RetryPolicy;
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
  /**
   * Epoch ms before which no token request is sent: set by a 429 from /oauth2/token (the
   * API's wait, capped at retries.maxWait). Not a credential failure: nothing else changes.
   */
  #coolUntil = 0;
  /** The last 429 from /oauth2/token, to say why a login gives up inside the cool-down. */
  #limited: Limited | undefined;
  #flight: Flight | undefined;

  constructor(settings: AuthCoreSettings) {
    this.#source = settings.source;
    this.#base = settings.base;
    this.#captured = settings.capturedContext;
    this.#renewWindow = settings.renewWindow;
    this.#transportSource = settings.transport;
    this.#timeoutMs = timeoutMs(settings.timeout);
    this.#totalMs = totalMs(settings.timeout);
    this.#retry = settings.retry ?? DEFAULT_RETRY;
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

  /** What a server's text must never repeat: the credentials and the token (see redact()). */
  #secrets(): (string | undefined)[] {
    const grant = this.#grant();
    return [grant?.clientSecret, grant?.clientId, grant?.memberCid, this.#token];
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

  /**
   * `waitMs` bounds only the wait for a login (a cached token answers at once, with no timer):
   * past it, this caller's wait rejects with a DOMException named "TimeoutError".
   */
  async authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome> {
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
    // The token endpoint asked us to wait (429): a token that has not yet expired is still good.
    if (now < this.#coolUntil && this.#stillValid(now) && this.#token) return bearer(this.#token);
    const bounded = waitMs === undefined ? signal : signal ? AbortSignal.any([signal, AbortSignal.timeout(waitMs)]) : AbortSignal.timeout(waitMs);
    const done = await this.#join(bounded);
    const after = Date.now();
    if (this.#usable(after) && this.#token) return bearer(this.#token);
    if (this.#stillValid(after) && this.#token) return bearer(this.#token);
    return done.failure ?? this.#failure ?? noToken();
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
    return (await this.#join(signal)).result;
  }

  /**
   * Joins the login in flight, starting one when there is none (single-flight: one token
   * request at a time, its 429 waits shared by every caller). A caller's abort rejects that
   * caller at once; the flight goes on for the others, and stops waiting when none is left.
   */
  #join(signal: AbortSignal | undefined): Promise<Exchanged> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let flight = this.#flight;
    if (flight === undefined) {
      const started = new Flight();
      started.promise = this.#exchangeToken(started).finally(() => {
        if (this.#flight === started) this.#flight = undefined;
      });
      this.#flight = flight = started;
    } else if (flight.cancelled.aborted) {
      // everyone before had given up; this caller still wants the token
      flight.cancel = new AbortController();
    }
    const f = flight;
    f.waiters++;
    if (!signal) return f.promise;
    return new Promise<Exchanged>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        if (--f.waiters === 0) f.cancel.abort(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      f.promise.then(
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

  /** POST with redirects followed only for the OAuth2 routes, and only to Falcon gateways or the same origin. */
  async #post(route: "/oauth2/token" | "/oauth2/revoke", form: URLSearchParams, headers: Record<string, string>, deadline: number | undefined): Promise<TokenExchange> {
    this.#transport ??= this.#transportSource();
    const transport = await this.#transport;
    let url = new URL(this.#base.url + route);
    let redirectRegion: string | null = null;
    const limit = deadline === undefined ? this.#timeoutMs : Math.min(this.#timeoutMs, Math.max(1, deadline - Date.now()));
    const signal = AbortSignal.timeout(limit);
    const body = form.toString();
    for (let hop = 0; ; hop++) {
      const response = await transport.post(url, { headers: { ...transport.headers, ...headers }, body, signal });
      if ((response.status === 307 || response.status === 308) && hop < MAX_REDIRECTS) {
        const location = response.headers["location"];
        let next: URL | undefined;
        try {
          next = location ? new URL(location, url) : undefined;
        } catch {
          next = undefined;
        }
        // Form bodies carry the client secret: never replay them to an unknown host.
        if (next && (next.origin === url.origin || isRegionHost(next))) {
          redirectRegion = response.headers["x-cs-region"] ?? redirectRegion;
          await response.discard().catch(() => undefined);
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

  /**
   * One login: the token request, retried after a 429 as API calls are (the API's
   * X-RateLimit-RetryAfter or Retry-After honoured, each wait capped at retries.maxWait, at most
   * retries.attempts retries, all within a numeric `timeout`). A 429 is not a credential
   * failure: it leaves the failed-login back-off alone.
   */
  async #exchangeToken(flight: Flight): Promise<Exchanged> {
    const grant = this.#grant();
    if (!grant) return { result: { status_code: 400, headers: {}, body: failureBody(400, NO_MECHANISM_MESSAGE) } };
    const form = new URLSearchParams({ client_id: grant.clientId, client_secret: grant.clientSecret });
    if (grant.memberCid) form.set("member_cid", grant.memberCid);
    const policy = this.#retry;
    const deadline = this.#totalMs === undefined ? undefined : Date.now() + this.#totalMs;

    // Another login's 429 started a cool-down: wait it out before asking again, as new API
    // calls wait out theirs (with retrying off, nothing waits).
    const left = this.#coolUntil - Date.now();
    const limited = this.#limited;
    if (policy.attempts > 0 && left > 0 && limited) {
      const give = (why: string): Exchanged => ({ result: limited.result, failure: rateLimited(limited, why) });
      if (this.#stillValid(Date.now())) return give("the current token is still valid");
      if (deadline !== undefined && Date.now() + left >= deadline) return give(`waiting would outlast the ${this.#totalMs! / 1000} s timeout`);
      try {
        await sleep(left, flight.cancelled);
      } catch {
        return give("every caller gave up");
      }
    }

    for (let retries = 0; ; ) {
      const attempt = await this.#attempt(form, deadline);
      if (attempt.result.status_code !== 429) return attempt;
      const result = attempt.result;
      const now = Date.now();
      const { waitMs: wait, retryAt } = rateLimitWait(result.headers, now, retries + 1, policy);
      const limited: Limited = { result, retryAt };
      this.#coolUntil = now + wait;
      this.#limited = limited;
      let stop: string | undefined;
      if (retries >= policy.attempts) stop = policy.attempts === 0 ? "retries are off" : `gave up after ${retries} ${retries === 1 ? "retry" : "retries"}`;
      else if (this.#stillValid(now)) stop = "the current token is still valid";
      else if (deadline !== undefined && now + wait >= deadline) stop = `waiting would outlast the ${this.#totalMs! / 1000} s timeout`;
      else if (flight.cancelled.aborted) stop = "every caller gave up";
      if (stop !== undefined) return { result, failure: rateLimited(limited, stop) };
      retries++;
      try {
        await sleep(wait, flight.cancelled);
      } catch {
        return { result, failure: rateLimited(limited, "every caller gave up") };
      }
    }
  }

  /** One token request. A 429 comes back as it came; any other failure is remembered (#fail). */
  async #attempt(form: URLSearchParams, deadline: number | undefined): Promise<Exchanged> {
    let exchange: TokenExchange;
    let text: string;
    try {
      exchange = await this.#post("/oauth2/token", form, this.#baseHeaders(), deadline);
      text = await exchange.response.text();
    } catch (err) {
      const timeout = isTimeout(err);
      const message = redact(`token request failed: ${timeout ? "timed out" : describeNetworkError(err)}`, { known: this.#secrets() });
      const error = timeout ? new TimeoutError(message, "oauth2AccessToken") : new NetworkError(message, { cause: err });
      return this.#fail(500, failureBody(500, message), message, error, {});
    }
    const { response } = exchange;
    const headers = { ...response.headers };
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // keep the text: an HTML error page says more than a parse error
    }
    const result: DictResult<unknown> = { status_code: response.status, headers, body };
    const parsed = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
    const accessToken = parsed?.["access_token"];

    if (isOk(response.status) && typeof accessToken === "string" && accessToken) {
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
      this.#coolUntil = 0;
      this.#limited = undefined;
      this.#discoverRegion(response.headers["x-cs-region"] ?? exchange.redirectRegion, exchange.finalUrl);
      return { result };
    }

    const reason = reasonOf(result, parsed, this.#secrets());
    if (response.status === 429) {
      // FalconPy's token_status / token_fail_reason, but no failure memory and no back-off
      this.#status = 429;
      this.#failReason = reason;
      return { result };
    }
    const apiErrors = parsed?.["errors"];
    const status = isOk(response.status) ? 500 : response.status;
    const meta = metaOf(parsed);
    const errBody: AuthErrorBody =
      Array.isArray(apiErrors) && apiErrors.length ? { meta, errors: redact(apiErrors as AuthErrorBody["errors"], { known: this.#secrets() }) } : failureBody(status, reason, meta);
    const error =
      status === 400 || status === 401 || status === 403
        ? new InvalidCredentials(`authentication failed (HTTP ${status}): ${reason}`)
        : new APIError(status, `token request failed (HTTP ${status}): ${reason}`, errBody, authResultHeaders(headers));
    return { result, failure: this.#fail(status, errBody, reason, error, headers).failure };
  }

  /** A failed login (bad credentials, network, server error): remembered, with the back-off. */
  #fail(status: number, body: AuthErrorBody, reason: string, error: SDKError, headers: Record<string, string>): Exchanged & { failure: AuthFailure } {
    const failure: AuthFailure = { ok: false, status, body, error, headers: authResultHeaders(headers) };
    this.#status = status;
    this.#failReason = reason;
    this.#failure = failure;
    this.#backoff = this.#backoff ? Math.min(this.#backoff * 2, BACKOFF_MAX) : BACKOFF_START;
    this.#retryAt = Date.now() + this.#backoff * 1000;
    return { result: { status_code: status, headers, body }, failure };
  }

  /** After a successful token request: switch to the region the API named, when allowed. */
  #discoverRegion(header: string | null, finalUrl: URL): void {
    if (!this.#base.discoverable) return; // custom gateway or GovCloud: never replaced
    const region = regionFromHeader(header) ?? regionOfUrl(finalUrl.origin);
    if (!region || GOV_REGIONS.has(region) || region === this.#base.region) return;
    this.#base = regionBase(region);
  }

  /** Revoke the current token (Basic auth, form `token`) and forget it; the next call logs in again. */
  async revoke(signal?: AbortSignal): Promise<DictResult<unknown> | undefined> {
    signal?.throwIfAborted();
    const grant = this.#grant();
    if (!grant || this.#context()) return undefined;
    if (this.#flight) await this.#flight.promise.catch(() => undefined);
    const token = this.#token;
    this.forget();
    if (!token) return { status_code: 200, headers: {}, body: { meta: {}, resources: [], errors: [] } };
    const headers = { ...this.#baseHeaders(), authorization: this.basicAuthorization() ?? "" };
    const form = new URLSearchParams({ token });
    const policy = this.#retry;
    const deadline = this.#totalMs === undefined ? undefined : Date.now() + this.#totalMs;
    for (let retries = 0; ; ) {
      let result: DictResult<unknown>;
      try {
        const { response } = await this.#post("/oauth2/revoke", form, headers, deadline);
        const text = await response.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          // non-JSON answer: keep its text
        }
        result = { status_code: response.status, headers: { ...response.headers }, body };
      } catch (err) {
        const message = `revoke request failed: ${isTimeout(err) ? "timed out" : describeNetworkError(err)}`;
        return { status_code: 500, headers: {}, body: failureBody(500, message) };
      }
      if (result.status_code !== 429 || retries >= policy.attempts) return result;
      // rate-limited: the token was not revoked; ask again after the API's wait
      const now = Date.now();
      const { waitMs: wait } = rateLimitWait(result.headers, now, retries + 1, policy);
      if (deadline !== undefined && now + wait >= deadline) return result;
      retries++;
      await sleep(wait, signal);
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

  /** The client ID and member CID of the client credentials (never the secret). */
  get identity(): { client_id: string; member_cid?: string } | undefined {
    const grant = this.#grant();
    if (!grant) return undefined;
    return grant.memberCid ? { client_id: grant.clientId, member_cid: grant.memberCid } : { client_id: grant.clientId };
  }

  /**
   * MSSP: act for another member CID (undefined: the parent) from the next token on. The
   * current token belongs to the old CID, so it is dropped. False without client credentials.
   */
  switchMember(memberCid: string | undefined): boolean {
    const source = this.#source;
    if (!("grant" in source)) return false;
    this.#source = { mode: source.mode, grant: Object.freeze({ ...source.grant, memberCid }) };
    this.forget();
    return true;
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

function metaOf(parsed: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = parsed?.["meta"];
  return typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
}

/** The API's own words for a failed token request, else what came back; redacted (a gateway may echo the request). */
function reasonOf(result: DictResult<unknown>, parsed: Record<string, unknown> | undefined, known?: readonly (string | undefined)[]): string {
  const apiErrors = parsed?.["errors"];
  const first = Array.isArray(apiErrors) ? (apiErrors[0] as { message?: unknown } | undefined) : undefined;
  if (typeof first?.message === "string" && first.message) return redact(first.message, { known });
  const ok = result.status_code >= 200 && result.status_code < 300;
  if (ok) return "token response carried no access_token";
  const body = result.body;
  if (typeof body === "string" && body.trim()) return redact(body.trim(), { known }).slice(0, 300);
  return `token request failed with HTTP ${result.status_code}`;
}

/**
 * A login the token endpoint rate-limited: status 429 and the API's wait, as an API call's 429
 * is surfaced after its retries (APIError 429 in object mode, a 429 result in dict mode).
 * Not InvalidCredentials: the credentials were not judged.
 */
function rateLimited(limited: Limited, why: string): AuthFailure {
  const { result } = limited;
  const parsed = typeof result.body === "object" && result.body !== null ? (result.body as Record<string, unknown>) : undefined;
  const reason = reasonOf(result, parsed);
  const left = limited.retryAt === undefined ? undefined : Math.max(0, limited.retryAt - Date.now());
  const wait = left === undefined ? "the API named no wait" : `the API asks to wait ${Math.ceil(left / 1000)} s`;
  const message = `token request rate-limited (HTTP 429: ${reason}); ${wait}; ${why}`;
  const body: AuthErrorBody = { meta: metaOf(parsed), errors: [{ code: 429, message }] };
  const headers = authResultHeaders(result.headers);
  return { ok: false, status: 429, body, error: new APIError(429, message, body, headers), headers };
}

function bearer(token: string): AuthOutcome {
  return { ok: true, headers: { authorization: `Bearer ${token}` } };
}

function noMechanism(): AuthFailure {
  return { ok: false, status: 401, body: failureBody(401, NO_MECHANISM_MESSAGE), error: new TokenNotSpecified(NO_MECHANISM_MESSAGE), headers: {} };
}

function noToken(): AuthFailure {
  const message = "no token available";
  return { ok: false, status: 401, body: failureBody(401, message), error: new InvalidCredentials(message), headers: {} };
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
