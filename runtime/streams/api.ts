/**
 * What the reader needs from a client: the two stream operations (sent through the client's
 * pipeline, so auth, retries and the rate-limit cool-down apply) and a long-lived GET of a feed
 * URL through the client's transport. EventStreamsBase (runtime/helpers/event-streams.ts)
 * provides it; tests and other hosts may provide their own.
 */
import type { DictResult } from "../results.js";
import type { WireResponse } from "../transport.js";

export interface StreamApi {
  /** listAvailableStreamsOAuth2 ({ appId }), in dict mode. */
  list(appId: string, signal: AbortSignal): Promise<DictResult<unknown>>;
  /** refreshActiveStreamSession ({ action_name: "refresh_active_stream_session", appId, partition }), in dict mode. */
  refresh(appId: string, partition: number, signal: AbortSignal): Promise<DictResult<unknown>>;
  /** GET `url` with `Authorization: Token <token>`; no read or total timeout (the reader watches for stalls). */
  open(url: URL, token: string, signal: AbortSignal): Promise<WireResponse>;
}

/** The message of a Falcon error body (`errors[0].message`), if it has one. */
export function errorMessage(body: unknown): string {
  const errors = typeof body === "object" && body !== null ? (body as { errors?: unknown }).errors : undefined;
  const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined) : undefined;
  return typeof first?.message === "string" ? first.message : "no error message";
}
