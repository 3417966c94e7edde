/**
 * Every constructor and per-call option, in one place. Constructor options are camelCase
 * (FalconPy's snake_case names in the comments); request arguments keep the API's own names.
 */
import { InvalidOption, type SDKWarning } from "./errors.js";

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
  /**
   * Allow an `http://` base URL to a host that is not loopback: credentials and tokens then travel
   * unencrypted (an InsecureTransportWarning says so once). Default false: such a URL throws InvalidBaseURL.
   */
  allowInsecureHttp?: boolean;

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
  /**
   * The most a response body the SDK collects may hold once decoded, in bytes: JSON and text
   * bodies, and any body it decompresses (gzip, deflate, br). Past it reading stops at once and
   * the call fails with ResponseTooLarge (never retried). Default 256 MiB. Bodies handed over
   * with `stream: true`, and uncompressed binary downloads, are not bounded.
   */
  maxResponseBytes?: number;

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
  /** Receives SDK warnings (NoAuthenticationMechanism, NoContentWarning, SSLDisabledWarning, InsecureTransportWarning). */
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
  /**
   * Ids beyond the operation's per-call maximum (or the 8 KB URL bound) are split into calls
   * sent `concurrency` at a time (default 4) and merged in input order (runtime/paginate/chunk.ts).
   * Reads split by default; a mutating operation splits only when this is given explicitly.
   * `false` sends the ids as given.
   */
  chunk?: false | { concurrency?: number };
}

// ---------------------------------------------------------------------------------------------
// Checks of untyped input: a JavaScript caller (or a cast) can pass anything. Each wrong value is
// an InvalidOption naming the option, thrown where the option is given (the constructor, the
// call), never a TypeError from deep inside the runtime. Credentials, `baseUrl`, `timeout` and
// `retries` have checks of their own (credentials.ts, regions.ts, retry.ts). null means unset.

/** A short, value-free description of what was given (values may be secrets). */
export function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}

function bad(option: string, message: string): never {
  throw new InvalidOption(option, message);
}

export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// CR, LF and NUL end or corrupt a header line: undici refuses them when sending
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/** What is wrong with one header, or undefined: a token name and a single-line scalar value. */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (!HEADER_NAME.test(name)) return `${JSON.stringify(name)} is not a valid header name`;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    return `header values must be strings, got ${typeOf(value)}`;
  if (typeof value === "string" && HEADER_VALUE_FORBIDDEN.test(value))
    return "header values must not contain CR, LF or NUL";
  return undefined;
}

/** FalconPy's snake_case keywords, a porting slip that would otherwise be ignored in silence. */
const FALCONPY_NAMES: Readonly<Record<string, keyof FalconOptions>> = {
  client_id: "clientId",
  client_secret: "clientSecret",
  member_cid: "memberCid",
  base_url: "baseUrl",
  access_token: "accessToken",
  auth_object: "authObject",
  ssl_verify: "sslVerify",
  user_agent: "userAgent",
  ext_headers: "extHeaders",
  renew_window: "renewWindow",
  sanitize_log: "sanitizeLog",
  debug_record_count: "debugRecordCount",
  validate_payloads: "validatePayloads",
};

const BOOLEAN_OPTIONS = ["pythonic", "validatePayloads", "debug", "sanitizeLog", "allowInsecureHttp"] as const;
const FUNCTION_OPTIONS = ["fetch", "onWarning"] as const;
const NUMBER_OPTIONS = ["renewWindow", "debugRecordCount"] as const;
const LOG_METHODS = ["debug", "info", "warn", "error"] as const;

/** Checks the shape of a client's options (constructor); throws InvalidOption naming the first bad one. */
export function checkClientOptions(options: unknown): asserts options is FalconOptions {
  if (!isPlainRecord(options)) bad("options", `expected an object of options, got ${typeOf(options)}`);
  for (const key of Object.keys(options)) {
    const camel = FALCONPY_NAMES[key];
    if (camel !== undefined) bad(key, `FalconTS options are camelCase: use ${camel}`);
  }
  const o = options as Record<string, unknown>;
  const given = (k: string): boolean => o[k] !== undefined && o[k] !== null;
  for (const k of BOOLEAN_OPTIONS)
    if (given(k) && typeof o[k] !== "boolean") bad(k, `expected true or false, got ${typeOf(o[k])}`);
  for (const k of FUNCTION_OPTIONS)
    if (given(k) && typeof o[k] !== "function") bad(k, `expected a function, got ${typeOf(o[k])}`);
  for (const k of NUMBER_OPTIONS)
    if (given(k) && (typeof o[k] !== "number" || !Number.isFinite(o[k])))
      bad(k, `expected a number, got ${typeOf(o[k])}`);
  if (given("maxResponseBytes")) {
    const max = o.maxResponseBytes;
    if (typeof max !== "number" || !Number.isSafeInteger(max) || max < 1)
      bad(
        "maxResponseBytes",
        `expected a whole number of bytes of at least 1, got ${typeof max === "number" ? max : typeOf(max)}`,
      );
  }
  if (given("userAgent")) {
    const ua = o.userAgent;
    if (typeof ua !== "string") bad("userAgent", `expected a string, got ${typeOf(ua)}`);
    const problem = headerProblem("user-agent", ua);
    if (problem) bad("userAgent", problem);
  }
  if (given("sslVerify") && typeof o.sslVerify !== "boolean" && typeof o.sslVerify !== "string") {
    bad("sslVerify", `expected a boolean, a PEM string or a CA file path, got ${typeOf(o.sslVerify)}`);
  }
  if (given("proxy")) checkProxy(o.proxy);
  if (given("extHeaders")) {
    const h = o.extHeaders;
    if (!isPlainRecord(h)) bad("extHeaders", `expected an object of header names to values, got ${typeOf(h)}`);
    for (const name of Object.keys(h)) {
      const problem = headerProblem(name, h[name]);
      if (problem) bad(`extHeaders.${name}`, problem);
    }
  }
  if (given("logger")) {
    const logger = o.logger;
    if (typeof logger !== "object" || logger === null)
      bad("logger", `expected an object with debug, info, warn and error methods, got ${typeOf(logger)}`);
    for (const m of LOG_METHODS)
      if (typeof (logger as Record<string, unknown>)[m] !== "function")
        bad("logger", `expected an object with debug, info, warn and error methods; ${m} is missing`);
  }
  // the pre-1.0 `hooks` option became middleware: say so rather than ignore it
  if (given("hooks")) bad("hooks", "hooks were replaced by middleware: register them with client.use(...)");
  if (given("environment") && typeof o.environment === "object") {
    const env = o.environment as Record<string, unknown>;
    for (const k of ["prefix", "idName", "secretName"]) {
      if (env[k] !== undefined && typeof env[k] !== "string")
        bad(`environment.${k}`, `expected a string, got ${typeOf(env[k])}`);
    }
  }
}

function checkProxy(proxy: unknown): void {
  if (typeof proxy !== "string") bad("proxy", `expected a proxy URL string, got ${typeOf(proxy)}`);
  let url: URL | undefined;
  try {
    url = new URL(proxy);
  } catch {
    url = undefined;
  }
  // the value may carry a password: the message names the option only
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname)
    bad("proxy", "expected an http:// or https:// proxy URL");
}

/** A `signal` argument or option: an AbortSignal (AbortSignal.any() and the runtime need a real one) or nothing. */
export function checkSignal(signal: unknown, option: string): asserts signal is AbortSignal | undefined | null {
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal))
    bad(option, `expected an AbortSignal, got ${typeOf(signal)}`);
}

/** Checks a call's options (the second argument of every operation method). */
export function checkCallOptions(options: unknown): asserts options is CallOptions | undefined | null {
  if (options === undefined || options === null) return;
  if (typeof options !== "object" || Array.isArray(options))
    bad("options", `expected an object of call options { signal, timeout, pythonic, stream }, got ${typeOf(options)}`);
  const o = options as Record<string, unknown>;
  checkSignal(o.signal, "options.signal");
  for (const k of ["pythonic", "stream"]) {
    if (o[k] !== undefined && o[k] !== null && typeof o[k] !== "boolean")
      bad(`options.${k}`, `expected true or false, got ${typeOf(o[k])}`);
  }
}
