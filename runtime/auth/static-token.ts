/**
 * Ready bearer tokens: the legacy `accessToken` option and the active FalconContext's token.
 * Never refreshed and never revoked; the token sits in a private field (no leak through
 * toString, JSON or util.inspect).
 */
import type { ResolvedBaseUrl } from "../regions.js";
import { bearer, type AuthOutcome } from "./outcome.js";

/** What both kinds offer (ActiveContext in context.ts has this shape too). */
export interface StaticToken {
  readonly token: string;
  readonly base: ResolvedBaseUrl;
}

export class LegacyToken implements StaticToken {
  readonly #token: string;
  constructor(
    token: string,
    readonly base: ResolvedBaseUrl,
  ) {
    this.#token = token;
  }
  get token(): string {
    return this.#token;
  }
  toJSON(): object {
    return { base: this.base.url };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `LegacyToken { base: '${this.base.url}' }`;
  }
}

export function authorizeStatic(source: StaticToken, signal?: AbortSignal): Promise<AuthOutcome> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return Promise.resolve(bearer(source.token));
}
