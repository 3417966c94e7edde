/**
 * Reading the stream list (listAvailableStreamsOAuth2's resources) into one session per
 * partition. The list has no partition field: the number is the feed URL's last path segment
 * (`.../sensors/entities/datafeed/v1/<partition>?appId=...`), else the refresh URL's.
 */
import { APIError } from "../errors.js";

export interface StreamSession {
  readonly partition: number;
  readonly dataFeedURL: string;
  /** The session token for the feed's `Authorization: Token ...` header. */
  readonly token: string;
  /** When the session token expires (epoch ms), if the list said. */
  readonly expiresAt: number | undefined;
  /** Seconds within which the session must be refreshed. */
  readonly refreshInterval: number;
  /** When this session was obtained or last refreshed (epoch ms). */
  readonly since: number;
}

/** Falcon's documented interval (30 minutes), used when the list omits it. */
export const DEFAULT_REFRESH_INTERVAL_S = 1800;

export function partitionOf(url: string): number | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/(\d{1,9})\/?$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The sessions a list answer offers, by partition; a resource without a usable URL or token is an APIError. */
export function parseStreams(body: unknown, now: number): Map<number, StreamSession> {
  const resources = isRecord(body) ? body.resources : undefined;
  const out = new Map<number, StreamSession>();
  if (!Array.isArray(resources)) return out;
  for (const [i, r] of resources.entries()) {
    const bad = (what: string): APIError =>
      new APIError(200, `listAvailableStreamsOAuth2: stream ${i} has ${what}`, undefined);
    if (!isRecord(r)) throw bad("no fields");
    const url = r.dataFeedURL;
    if (typeof url !== "string" || url === "") throw bad("no dataFeedURL");
    const session = isRecord(r.sessionToken) ? r.sessionToken : {};
    if (typeof session.token !== "string" || session.token === "") throw bad("no sessionToken.token");
    const partition =
      partitionOf(url) ??
      (typeof r.refreshActiveSessionURL === "string" ? partitionOf(r.refreshActiveSessionURL) : undefined);
    if (partition === undefined) throw bad("a dataFeedURL without a partition number");
    const interval = Number(r.refreshActiveSessionInterval);
    const expires = typeof session.expiration === "string" ? Date.parse(session.expiration) : NaN;
    out.set(partition, {
      partition,
      dataFeedURL: url,
      token: session.token,
      expiresAt: Number.isFinite(expires) ? expires : undefined,
      refreshInterval: Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_REFRESH_INTERVAL_S,
      since: now,
    });
  }
  return out;
}

/**
 * The feed URL to open: the list's URL with `offset` set (events from that offset on), or left
 * without one to start at the live end. Only https, except to a loopback host (tests, local
 * gateways): the URL carries a session token.
 */
export function feedUrl(dataFeedURL: string, offset: number | undefined): URL {
  const url = new URL(dataFeedURL);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new APIError(
      200,
      `listAvailableStreamsOAuth2: refusing the feed URL scheme ${url.protocol} (https only, except loopback)`,
      undefined,
    );
  }
  if (offset === undefined) url.searchParams.delete("offset");
  else url.searchParams.set("offset", String(offset));
  return url;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
