/**
 * The token of a client-credentials grant: fetched on first use, refreshed inside the renew
 * window (single-flight), a failed login remembered with a back-off (Falcon limits bad token
 * requests per IP), the token endpoint's 429 waited out, and the region switched after a
 * login when the API names another one (autodiscovery).
 */
import { APIError, InvalidBaseURL, InvalidCredentials, NetworkError, SDKError, TimeoutError } from "../errors.js";
import type { ClientGrant } from "../credentials.js";
import type { TimeoutSetting } from "../options.js";
import { redact } from "../redact.js";
import {
  GOV_REGIONS,
  regionBase,
  regionFromHeader,
  regionOfUrl,
  requireSecureTransport,
  type ResolvedBaseUrl,
} from "../regions.js";
import { DEFAULT_RETRY, backoffMs, rateLimitWait, retryLoop, sleep, type RetryPolicy } from "../retry.js";
import { DEFAULT_TIMEOUTS_S, resolveTimeouts } from "../transport.js";
import { PERMANENT_NETWORK_CODES, networkErrorCode } from "../wire.js";
import type { DictResult } from "../results.js";
import { type OAuth2Endpoint, describeAuthNetworkError, isTimeout } from "./oauth2-endpoint.js";
import {
  authResultHeaders,
  bearer,
  failureBody,
  noToken,
  type AuthErrorBody,
  type AuthFailure,
  type AuthOutcome,
} from "./outcome.js";
import { SingleFlight, type FlightControl } from "./single-flight.js";

/** First back-off after a failed login, and its cap (seconds). */
export const BACKOFF_START = 15;
export const BACKOFF_MAX = 300;

export interface ClientCredentialsSettings {
  readonly grant: ClientGrant;
  readonly base: ResolvedBaseUrl;
  readonly renewWindow: number;
  readonly endpoint: OAuth2Endpoint;
  readonly timeout: TimeoutSetting | undefined;
  /** How often a 429 from /oauth2/token or /oauth2/revoke is retried, and the longest wait. */
  readonly retry?: RetryPolicy;
}

/** What one login (a token request, with its 429 retries) ends with. */
interface Exchanged {
  /** The token endpoint's last answer (FalconPy's OAuth2.token() result). */
  readonly result: DictResult<unknown>;
  /** Why there is no token, when there is none: what callers of authorize() get. */
  readonly failure?: AuthFailure;
  /** The failure may pass (a reset, a timeout, a 5xx): retried within the login, no back-off. */
  readonly transient?: boolean;
}

/** A 429 from an OAuth2 route, and when the API said to come back (epoch ms, if it said). */
interface Limited {
  readonly result: DictResult<unknown>;
  readonly retryAt: number | undefined;
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

export class ClientCredentials {
  /** Replaced only by switchMember() (FalconPy's child_login / child_logout). */
  #grant: ClientGrant;
  readonly #renewWindow: number;
  readonly #endpoint: OAuth2Endpoint;
  /** A numeric `timeout` is the whole request: a login's attempts and waits end by it (ms). */
  readonly #totalMs: number;
  readonly #retry: RetryPolicy;
  readonly #flight = new SingleFlight<Exchanged>();
  #base: ResolvedBaseUrl;

  #token: string | undefined;
  /** The token before #token: still valid until it expires, so a late answer may echo it. */
  #previousToken: string | undefined;
  /** The bearer outcome of #token, built once per token. */
  #bearer: AuthOutcome | undefined;
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

  constructor(settings: ClientCredentialsSettings) {
    this.#grant = settings.grant;
    this.#base = settings.base;
    this.#renewWindow = settings.renewWindow;
    this.#endpoint = settings.endpoint;
    this.#totalMs = resolveTimeouts(settings.timeout).total ?? DEFAULT_TIMEOUTS_S.total * 1000;
    this.#retry = settings.retry ?? DEFAULT_RETRY;
  }

  get base(): ResolvedBaseUrl {
    return this.#base;
  }
  /** The client ID and member CID (never the secret). */
  get identity(): { client_id: string; member_cid?: string } {
    const grant = this.#grant;
    return grant.memberCid ? { client_id: grant.clientId, member_cid: grant.memberCid } : { client_id: grant.clientId };
  }
  /** What a server's text must never repeat: the credentials and the tokens (see redact()). */
  secrets(): (string | undefined)[] {
    const grant = this.#grant;
    return [grant.clientSecret, grant.clientId, grant.memberCid, this.#token, this.#previousToken];
  }
  get token(): string | undefined {
    return this.#token;
  }
  get tokenStatus(): number | undefined {
    return this.#status;
  }
  get tokenFailReason(): string | undefined {
    return this.#failReason;
  }
  get tokenExpiration(): number | undefined {
    return this.#expiresIn;
  }
  get tokenTime(): number | undefined {
    return this.#tokenTime === undefined ? undefined : this.#tokenTime / 1000;
  }
  get tokenExpired(): boolean {
    return !this.#usable(Date.now());
  }

  #usable(now: number): boolean {
    if (this.#token === undefined || this.#stale || this.#tokenTime === undefined || this.#expiresIn === undefined)
      return false;
    return now < this.#tokenTime + (this.#expiresIn - this.#renewWindow) * 1000;
  }

  /** Not yet past its real expiry: still worth sending while a refresh is failing. */
  #stillValid(now: number): boolean {
    if (this.#token === undefined || this.#stale || this.#tokenTime === undefined || this.#expiresIn === undefined)
      return false;
    return now < this.#tokenTime + this.#expiresIn * 1000;
  }

  /**
   * `waitMs` bounds only the wait for a login (a cached token answers at once, with no timer):
   * past it, this caller's wait rejects with a DOMException named "TimeoutError".
   */
  /** The cached token's outcome when it is usable now: the common call's answer without a turn of the event loop. */
  authorizedNow(): AuthOutcome | undefined {
    return this.#bearer !== undefined && this.#usable(Date.now()) ? this.#bearer : undefined;
  }

  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // the common case, once per call: a cached token, no allocation
    if (this.#bearer !== undefined && this.#usable(Date.now())) return Promise.resolve(this.#bearer);
    return this.#authorize(signal, waitMs);
  }

  async #authorize(signal: AbortSignal | undefined, waitMs: number | undefined): Promise<AuthOutcome> {
    const now = Date.now();
    if (this.#failure && now < this.#retryAt) {
      // Falcon limits failed token requests per IP: answer from memory until the back-off ends.
      return this.#stillValid(now) && this.#token ? bearer(this.#token) : this.#failure;
    }
    // The token endpoint asked us to wait (429): a token that has not yet expired is still good.
    if (now < this.#coolUntil && this.#stillValid(now) && this.#token) return bearer(this.#token);
    const bounded =
      waitMs === undefined
        ? signal
        : signal
          ? AbortSignal.any([signal, AbortSignal.timeout(waitMs)])
          : AbortSignal.timeout(waitMs);
    const done = await this.#join(bounded);
    const after = Date.now();
    if (this.#stillValid(after) && this.#token) return bearer(this.#token);
    return done.failure ?? this.#failure ?? noToken();
  }

  /** The API answered 401 to a call made with `token`: refresh before the next use. */
  tokenRejected(token: string): void {
    if (token === this.#token) this.#stale = true;
  }

  basicAuthorization(): string {
    return `Basic ${base64(`${this.#grant.clientId}:${this.#grant.clientSecret}`)}`;
  }

  /** Force a token request now (joins one already in flight). Returns the token endpoint's result. */
  async requestToken(signal?: AbortSignal): Promise<DictResult<unknown>> {
    return (await this.#join(signal)).result;
  }

  #join(signal: AbortSignal | undefined): Promise<Exchanged> {
    return this.#flight.join((control) => this.#exchangeToken(control), signal);
  }

  /**
   * One login: the token request, retried after a 429 as API calls are (the API's
   * X-RateLimit-RetryAfter or Retry-After honoured, each wait capped at retries.maxWait, at most
   * retries.attempts retries, all within a numeric `timeout`). A 429 is not a credential
   * failure: it leaves the failed-login back-off alone.
   */
  async #exchangeToken(flight: FlightControl): Promise<Exchanged> {
    const grant = this.#grant;
    const form = new URLSearchParams({ client_id: grant.clientId, client_secret: grant.clientSecret });
    if (grant.memberCid) form.set("member_cid", grant.memberCid);
    const policy = this.#retry;
    const deadline = Date.now() + this.#totalMs;
    const outlasts = `waiting would outlast the ${this.#totalMs / 1000} s timeout`;

    // Another login's 429 started a cool-down: wait it out before asking again, as new API
    // calls wait out theirs (with retrying off, nothing waits).
    const left = this.#coolUntil - Date.now();
    const earlier = this.#limited;
    if (policy.attempts > 0 && left > 0 && earlier) {
      const give = (why: string): Exchanged => ({
        result: earlier.result,
        failure: rateLimited(earlier, why, this.secrets()),
      });
      if (this.#stillValid(Date.now())) return give("the current token is still valid");
      if (Date.now() + left >= deadline) return give(outlasts);
      try {
        await sleep(left, flight.cancelled);
      } catch {
        return give("every caller gave up");
      }
    }

    let limited: Limited | undefined;
    let stop: string | undefined;
    let last: Exchanged | undefined;
    let pausing: Promise<void> | undefined;
    try {
      const { value } = await retryLoop(
        () => this.#attempt(form, deadline),
        (attempt, retries) => {
          const result = attempt.result;
          last = attempt;
          if (attempt.transient) {
            // a reset, a timeout or a 5xx may pass: retried as API calls are, within the total time
            const wait = backoffMs(retries + 1, policy);
            return retries < policy.attempts && Date.now() + wait < deadline && !flight.cancelled.aborted
              ? wait
              : undefined;
          }
          if (result.status_code !== 429) return undefined;
          const now = Date.now();
          const { waitMs, retryAt } = rateLimitWait(result.headers, now, retries + 1, policy);
          limited = { result, retryAt };
          this.#coolUntil = now + waitMs;
          this.#limited = limited;
          if (retries >= policy.attempts)
            stop =
              policy.attempts === 0
                ? "retries are off"
                : `gave up after ${retries} ${retries === 1 ? "retry" : "retries"}`;
          else if (this.#stillValid(now)) stop = "the current token is still valid";
          else if (now + waitMs >= deadline) stop = outlasts;
          else if (flight.cancelled.aborted) stop = "every caller gave up";
          return stop === undefined ? waitMs : undefined;
        },
        (ms) => {
          pausing = sleep(ms, flight.cancelled);
          return pausing.then(() => void (pausing = undefined));
        },
      );
      return stop !== undefined && limited
        ? { result: value.result, failure: rateLimited(limited, stop, this.secrets()) }
        : value;
    } catch (err) {
      // the wait between attempts throws when every caller left; an attempt only for a configuration error
      if (pausing === undefined || last === undefined) throw err;
      if (last.transient || limited === undefined) return last;
      return { result: limited.result, failure: rateLimited(limited, "every caller gave up", this.secrets()) };
    }
  }

  /**
   * One token request. A 429 comes back as it came; a failure that may pass (network, timeout,
   * 5xx) comes back marked transient; other failures are remembered (#fail). Only 400/401/403
   * are credential failures with the back-off. A configuration error is thrown as it is.
   */
  async #attempt(form: URLSearchParams, deadline: number | undefined): Promise<Exchanged> {
    let answer: Awaited<ReturnType<OAuth2Endpoint["post"]>>;
    try {
      answer = await this.#endpoint.post(this.#base.url, "/oauth2/token", form, {}, deadline);
    } catch (err) {
      // the SDK refused a region redirect to plain http: say what was refused, as a failed login
      if (err instanceof InvalidBaseURL) return this.#fail(400, failureBody(400, err.message), err.message, err, {});
      // any other SDK error is a configuration error (an unreadable CA file...): thrown as it is
      if (SDKError.isSDKError(err) && !(err instanceof NetworkError)) throw err;
      const message = redact(`token request failed: ${describeAuthNetworkError(err)}`, { known: this.secrets() });
      const error = isTimeout(err)
        ? new TimeoutError(message, "oauth2AccessToken")
        : new NetworkError(message, { cause: err });
      const code = networkErrorCode(err);
      return this.#fail(
        500,
        failureBody(500, message),
        message,
        error,
        {},
        code === undefined || !PERMANENT_NETWORK_CODES.has(code),
      );
    }
    const { result } = answer;
    const status = result.status_code;
    const parsed =
      typeof result.body === "object" && result.body !== null ? (result.body as Record<string, unknown>) : undefined;
    const accessToken = parsed?.access_token;

    if (isOk(status) && typeof accessToken === "string" && accessToken) {
      const expires = Number(parsed?.expires_in);
      if (this.#token !== undefined) this.#previousToken = this.#token;
      this.#token = accessToken;
      this.#bearer = bearer(accessToken);
      this.#tokenTime = Date.now();
      this.#expiresIn = Number.isFinite(expires) && expires > 0 ? expires : 1799;
      this.#stale = false;
      this.#status = status;
      this.#failReason = undefined;
      this.#failure = undefined;
      this.#backoff = 0;
      this.#retryAt = 0;
      this.#coolUntil = 0;
      this.#limited = undefined;
      this.#discoverRegion(result.headers["x-cs-region"] ?? answer.redirectRegion, answer.finalUrl);
      return { result };
    }

    const reason = reasonOf(result, parsed, this.secrets());
    if (status === 429) {
      // FalconPy's token_status / token_fail_reason, but no failure memory and no back-off
      this.#status = 429;
      this.#failReason = reason;
      return { result };
    }
    const apiErrors = parsed?.errors;
    const failed = isOk(status) ? 500 : status;
    const meta = metaOf(parsed);
    const errBody: AuthErrorBody =
      Array.isArray(apiErrors) && apiErrors.length
        ? { meta, errors: redact(apiErrors as AuthErrorBody["errors"], { known: this.secrets() }) }
        : failureBody(failed, reason, meta);
    const error =
      failed === 400 || failed === 401 || failed === 403
        ? new InvalidCredentials(`authentication failed (HTTP ${failed}): ${reason}`)
        : new APIError(
            failed,
            `token request failed (HTTP ${failed}): ${reason}`,
            errBody,
            authResultHeaders(result.headers),
          );
    const credentials = failed === 400 || failed === 401 || failed === 403;
    return {
      result,
      failure: this.#fail(failed, errBody, reason, error, result.headers, failed >= 500, credentials).failure,
      transient: failed >= 500 || undefined,
    };
  }

  /**
   * A failed login. Bad credentials are remembered with the back-off (Falcon limits failed
   * token requests per IP); other failures are reported but leave the next call free to try.
   */
  #fail(
    status: number,
    body: AuthErrorBody,
    reason: string,
    error: SDKError,
    headers: Record<string, string>,
    transient = false,
    credentials = false,
  ): Exchanged & { failure: AuthFailure } {
    const failure: AuthFailure = { ok: false, status, body, error, headers: authResultHeaders(headers) };
    this.#status = status;
    this.#failReason = reason;
    if (!credentials)
      return { result: { status_code: status, headers, body }, failure, transient: transient || undefined };
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
    const next = regionBase(region);
    requireSecureTransport(next.url, "region", this.#endpoint.policy);
    this.#base = next;
  }

  /** Revoke the current token (Basic auth, form `token`) and forget it; the next call logs in again. */
  async revoke(signal?: AbortSignal): Promise<DictResult<unknown>> {
    signal?.throwIfAborted();
    await this.#flight.current?.catch(() => undefined);
    const token = this.#token;
    this.forget();
    if (!token) return { status_code: 200, headers: {}, body: { meta: {}, resources: [], errors: [] } };
    const headers = { authorization: this.basicAuthorization() };
    const form = new URLSearchParams({ token });
    const policy = this.#retry;
    const deadline = Date.now() + this.#totalMs;
    try {
      const { value } = await retryLoop(
        () => this.#endpoint.post(this.#base.url, "/oauth2/revoke", form, headers, deadline).then((a) => a.result),
        (result, retries) => {
          // rate-limited: the token was not revoked; ask again after the API's wait
          if (result.status_code !== 429 || retries >= policy.attempts) return undefined;
          const now = Date.now();
          const { waitMs } = rateLimitWait(result.headers, now, retries + 1, policy);
          return now + waitMs >= deadline ? undefined : waitMs;
        },
        (ms) => sleep(ms, signal),
      );
      return value;
    } catch (err) {
      if (signal?.aborted) throw err;
      // forget() kept the revoked token among the secrets
      const message = redact(`revoke request failed: ${describeAuthNetworkError(err)}`, { known: this.secrets() });
      return { status_code: 500, headers: {}, body: failureBody(500, message) };
    }
  }

  /** Drop the token and any remembered failure. */
  forget(): void {
    if (this.#token !== undefined) this.#previousToken = this.#token;
    this.#token = undefined;
    this.#bearer = undefined;
    this.#tokenTime = undefined;
    this.#expiresIn = undefined;
    this.#stale = false;
    this.#failure = undefined;
    this.#failReason = undefined;
    this.#status = undefined;
    this.#backoff = 0;
    this.#retryAt = 0;
  }

  /**
   * MSSP: act for another member CID (undefined: the parent) from the next token on. The
   * current token belongs to the old CID, so it is dropped.
   */
  switchMember(memberCid: string | undefined): void {
    this.#grant = Object.freeze({ ...this.#grant, memberCid });
    this.forget();
  }

  /** Explicit login(): the remembered failure does not block it. */
  clearFailure(): void {
    this.#failure = undefined;
    this.#retryAt = 0;
  }

  toJSON(): object {
    return { baseUrl: this.#base.url };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `ClientCredentials { baseUrl: '${this.#base.url}' }`;
  }
}

function metaOf(parsed: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = parsed?.meta;
  return typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
}

/** The API's own words for a failed token request, else what came back; redacted (a gateway may echo the request). */
function reasonOf(
  result: DictResult<unknown>,
  parsed: Record<string, unknown> | undefined,
  known: readonly (string | undefined)[],
): string {
  const apiErrors = parsed?.errors;
  const first = Array.isArray(apiErrors) ? (apiErrors[0] as { message?: unknown } | undefined) : undefined;
  if (typeof first?.message === "string" && first.message) return redact(first.message, { known });
  if (isOk(result.status_code)) return "token response carried no access_token";
  const body = result.body;
  if (typeof body === "string" && body.trim()) return redact(body.trim(), { known }).slice(0, 300);
  return `token request failed with HTTP ${result.status_code}`;
}

/**
 * A login the token endpoint rate-limited: status 429 and the API's wait, as an API call's 429
 * is surfaced after its retries (APIError 429 in object mode, a 429 result in dict mode).
 * Not InvalidCredentials: the credentials were not judged.
 */
function rateLimited(limited: Limited, why: string, known: readonly (string | undefined)[]): AuthFailure {
  const { result } = limited;
  const parsed =
    typeof result.body === "object" && result.body !== null ? (result.body as Record<string, unknown>) : undefined;
  const reason = reasonOf(result, parsed, known);
  const left = limited.retryAt === undefined ? undefined : Math.max(0, limited.retryAt - Date.now());
  const wait = left === undefined ? "the API named no wait" : `the API asks to wait ${Math.ceil(left / 1000)} s`;
  const message = `token request rate-limited (HTTP 429: ${reason}); ${wait}; ${why}`;
  const body: AuthErrorBody = { meta: metaOf(parsed), errors: [{ code: 429, message }] };
  const headers = authResultHeaders(result.headers);
  return { ok: false, status: 429, body, error: new APIError(429, message, body, headers), headers };
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
