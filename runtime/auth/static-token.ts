/**
 * Ready bearer tokens: the legacy `accessToken` option and the active FalconContext's token.
 * Never refreshed and never revoked; the token sits in a private field (no leak through
 * toString, JSON or util.inspect).
 */
import type { ResolvedBaseUrl } from "../regions.js";
import { bearer, type AuthOutcome } from "./outcome.js";

export class StaticToken {
  readonly #token: string;
  readonly #bearer: AuthOutcome;
  constructor(
    token: string,
    readonly base: ResolvedBaseUrl,
    /** Where it came from, for inspection. */
    readonly source: "legacy" | "context",
  ) {
    this.#token = token;
    this.#bearer = bearer(token);
  }
  get token(): string {
    return this.#token;
  }
  authorizedNow(): AuthOutcome {
    return this.#bearer;
  }
  authorize(signal?: AbortSignal): Promise<AuthOutcome> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return Promise.resolve(this.#bearer);
  }
  toJSON(): object {
    return { source: this.source, base: this.base.url };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `StaticToken { source: '${this.source}', base: '${this.base.url}' }`;
  }
}
