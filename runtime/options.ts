/**
 * Every constructor and per-call option, in one place. Constructor options are camelCase
 * (FalconPy's snake_case names in the comments); request arguments keep the API's own names.
 */
import type { SDKWarning } from "./errors.js";

/** Anything with the four log methods: console, pino, winston... */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** FalconPy's `creds` dictionary. */
export interface Credentials {
  client_id: string;
  client_secret: string;
  member_cid?: string;
}

/**
 * Seconds. A number is `{ total }`. `total` bounds the whole call: every attempt, back-off and
 * 429 wait (default 120; operations whose API takes its own `timeout`/`timeout_duration` get
 * 330 by default). `connect` (default 10) and `read` (default 60: the wait for the response
 * headers, then the longest gap between body chunks) apply per attempt. With `stream: true`,
 * `total` ends when the headers arrive.
 */
export type TimeoutSetting = number | { connect?: number; read?: number; total?: number };

export interface RetrySettings {
  /** Retries after a 429 or a transient fault; 0 turns retrying off. Default 3. */
  attempts?: number;
  /** Longest single wait, seconds. Default 60. */
  maxWait?: number;
  /** Replay POST/PATCH too (not only the reviewed read-only POSTs). Default false. */
  retryNonIdempotent?: boolean;
  /** First step of the exponential back-off for transient faults, seconds (full jitter). Default 0.25. */
  baseDelay?: number;
}

/** Anything that can act as the shared auth object: an OAuth2, a service class, an APIHarnessV2. */
export interface AuthObjectLike {
  readonly auth?: unknown;
}

export interface FalconOptions {
  // --- authentication (precedence: authObject > accessToken > creds > direct > context > environment)
  clientId?: string;
  clientSecret?: string;
  /** MSSP: act on behalf of this child CID (member_cid). */
  memberCid?: string;
  creds?: Credentials;
  /** Share the token of an OAuth2, any service class, or an APIHarnessV2 (auth_object). */
  authObject?: AuthObjectLike;
  /** Legacy: a raw bearer token, never refreshed (access_token). */
  accessToken?: string;
  /** Environment authentication names (defaults FALCON_CLIENT_ID / FALCON_CLIENT_SECRET). */
  environment?: { prefix?: string; idName?: string; secretName?: string };
  /** Seconds before expiry at which the token is refreshed (renew_window): 120-1200, default 120. */
  renewWindow?: number;

  // --- region
  /** Region name (us1, us2, us3, eu1, usgov1, usgov2, auto), full URL or bare host (base_url). */
  baseUrl?: string;

  // --- transport
  /** Proxy URL for https (else HTTPS_PROXY / NO_PROXY from the environment). */
  proxy?: string;
  timeout?: TimeoutSetting;
  retries?: number | RetrySettings;
  /** false disables TLS verification; a PEM string or a CA file path is used as the trust store. */
  sslVerify?: boolean | string;
  userAgent?: string;
  /** Headers added to every request of this client (ext_headers). */
  extHeaders?: Record<string, string>;
  /** A fetch to send requests with instead of the built-in undici one (tests, other runtimes). */
  fetch?: typeof globalThis.fetch;

  // --- results and diagnostics
  /** Object mode: results as `Result`, errors thrown (FalconPy's pythonic). */
  pythonic?: boolean;
  /** Check payloads against the spec's schemas before sending. */
  validatePayloads?: boolean;
  debug?: boolean;
  logger?: Logger;
  /** Redact credentials and tokens in debug output. Default true. */
  sanitizeLog?: boolean;
  /** How many `resources` entries a debug record keeps (1-5000, default 100). */
  debugRecordCount?: number;
  /** Receives SDK warnings (NoAuthenticationMechanism, NoContentWarning, SSLDisabledWarning). */
  onWarning?: (warning: SDKWarning) => void;
}

/** Per-call settings: the second argument of every operation method. */
export interface CallOptions<P extends boolean = boolean, S extends boolean = boolean> {
  signal?: AbortSignal;
  timeout?: TimeoutSetting;
  /** Override the client's result mode for this call. */
  pythonic?: P;
  /** Hand a success body over as a stream of bytes instead of collecting it (large downloads). */
  stream?: S;
}
