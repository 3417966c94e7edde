/**
 * The OAuth2 routes (/oauth2/token, /oauth2/revoke): a form POST through the token owner's
 * transport (the same pool as its API calls), redirects followed only for these routes and only
 * to a Falcon gateway or the same origin (the form carries the client secret), the answer read
 * by the SDK's one body parser. A redirect target passes requireSecureTransport too (the form and
 * the Basic header carry the secret). No retry here: callers loop with retryLoop().
 */
import { isRegionHost, requireSecureTransport, type TransportPolicy } from "../regions.js";
import type { TimeoutSetting } from "../options.js";
import type { DictResult } from "../results.js";
import type { Transport } from "../transport.js";
import { discard, lowerHeaders, readBody } from "../wire.js";

export type OAuth2Route = "/oauth2/token" | "/oauth2/revoke";

export interface OAuth2Answer {
  readonly result: DictResult<unknown>;
  readonly finalUrl: URL;
  /** X-Cs-Region seen on a redirect on the way (the final answer may lack it). */
  readonly redirectRegion: string | null;
}

/** Default limit for one token/revoke exchange when no `timeout` is configured (seconds). */
const DEFAULT_TIMEOUT_S = 30;
const MAX_REDIRECTS = 3;
const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };

function exchangeLimitMs(t: TimeoutSetting | undefined): number {
  if (typeof t === "number" && t > 0) return t * 1000;
  if (t && typeof t === "object" && t.total !== undefined && t.total > 0) return t.total * 1000;
  if (t && typeof t === "object") {
    const total = (t.connect ?? 0) + (t.read ?? 0);
    if (total > 0) return total * 1000;
  }
  return DEFAULT_TIMEOUT_S * 1000;
}

export class OAuth2Endpoint {
  readonly #limitMs: number;

  constructor(
    readonly transport: Transport,
    timeout: TimeoutSetting | undefined,
    /** allowInsecureHttp and the warning sink: what a plain-http URL learned at run time gets. */
    readonly policy: TransportPolicy = {},
  ) {
    this.#limitMs = exchangeLimitMs(timeout);
  }

  /**
   * One exchange, bounded by the configured timeout (and `deadline`, epoch ms, when given).
   * Network failures and timeouts throw the transport's error (see describeAuthNetworkError); a
   * redirect to plain http that is not allowed throws InvalidBaseURL.
   */
  async post(
    baseUrl: string,
    route: OAuth2Route,
    form: URLSearchParams,
    headers: Record<string, string>,
    deadline: number | undefined,
  ): Promise<OAuth2Answer> {
    let url = new URL(baseUrl + route);
    let redirectRegion: string | null = null;
    const limit = deadline === undefined ? this.#limitMs : Math.min(this.#limitMs, Math.max(1, deadline - Date.now()));
    const signal = AbortSignal.timeout(limit);
    const body = form.toString();
    const sent = { ...this.transport.baseHeaders, ...FORM_HEADERS, ...headers };
    for (let hop = 0; ; hop++) {
      const response = await this.transport.send(url.href, { method: "POST", headers: sent, body, signal });
      const answerHeaders = lowerHeaders(response.headers);
      const status = response.statusCode;
      if ((status === 307 || status === 308) && hop < MAX_REDIRECTS) {
        const next = redirectTarget(answerHeaders.location, url);
        if (next && (next.origin === url.origin || isRegionHost(next))) {
          redirectRegion = answerHeaders["x-cs-region"] ?? redirectRegion;
          await discard(response);
          requireSecureTransport(next, "redirect target", this.policy);
          url = next;
          continue;
        }
      }
      const parsed = await readBody({ id: route, method: "POST" }, response, answerHeaders);
      return { result: { status_code: status, headers: answerHeaders, body: parsed }, finalUrl: url, redirectRegion };
    }
  }
}

function redirectTarget(location: string | undefined, from: URL): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, from);
  } catch {
    return undefined;
  }
}

/** What went wrong with a token or revoke exchange that got no answer, in words. */
export function describeAuthNetworkError(err: unknown): string {
  if (isTimeout(err)) return "timed out";
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail =
      cause && typeof cause.code === "string"
        ? cause.code
        : cause && typeof cause.message === "string"
          ? cause.message
          : undefined;
    return detail ? `${err.message} (${detail})` : err.message;
  }
  return String(err);
}

export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}
