/**
 * The SDK's error and warning types (FalconPy's names). Each is branded with a
 * Symbol.for() key so that checks work across duplicate copies of the package
 * (ESM and CommonJS loaded side by side), where `instanceof` does not.
 */
import { hasBrand, isBrandedInstance } from "./brand.js";
import { redact, type SecretRedactor } from "./redact.js";

const SDK_ERROR = Symbol.for("falconts.SDKError");

export class SDKError extends Error {
  readonly [SDK_ERROR] = true;
  /** Set on errors a paginator throws: where it stopped and how to resume (runtime/paginate). */
  declare pagination?: PaginationState;
  /** FalconPy's status-like code of the error class (the class name is in `name`). */
  static readonly defaultCode: number = 500;
  /** A number as in FalconPy: the HTTP status for APIError, else the class's FalconPy code (500 by default). */
  readonly code: number;
  /** redact(), or a client's, which also knows its secrets (a server may echo them bare). */
  readonly #redact: SecretRedactor;
  /**
   * The message is redacted before anything (the stack included) captures it: servers echo
   * requests. `redactWith` (a client's redaction, knowing its secrets) is used for the message
   * and every rendering.
   */
  constructor(message: string, options?: { cause?: unknown; redactWith?: SecretRedactor }) {
    const redactWith = options?.redactWith ?? redact;
    super(redactWith(message), options);
    this.#redact = redactWith;
    this.name = new.target.name;
    this.code = (new.target as typeof SDKError).defaultCode;
  }
  /** Own fields (an APIError's body and headers...) and the cause, redacted. */
  #details(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this)) if (k !== "name") out[k] = (this as Record<string, unknown>)[k];
    if (this.cause !== undefined) out.cause = this.cause;
    return this.#redact(out);
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.#details() };
  }
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: object,
    inspect: (value: unknown, options?: object) => string,
  ): string {
    const stack = this.#redact(this.stack ?? `${this.name}: ${this.message}`);
    const details = this.#details();
    return Object.keys(details).length ? `${stack} ${inspect(details, options)}` : stack;
  }
  /** True for any SDK error, from any copy of the package. */
  static isSDKError(value: unknown): value is SDKError {
    return hasBrand(value, SDK_ERROR);
  }
  /** `instanceof` that also recognises errors thrown by another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, SDK_ERROR, SDKError);
  }
}

/**
 * An API answered with status >= 400 (object mode); `code` is that status, as FalconPy's. The
 * body and headers are kept as they came; the message and every rendering are redacted.
 */
export class APIError extends SDKError {
  override readonly code: number;
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
    readonly headers?: Readonly<Record<string, string>>,
    /** The client's redaction, which knows its secrets (see SDKError). */
    redactWith?: SecretRedactor,
  ) {
    super(message, { redactWith });
    this.code = status;
  }
}
// FalconPy's codes: 403 for credentials and regions, 405 method, 418 operation, 400 bad input, 501 not implemented.
export class CannotRevokeToken extends SDKError {}
export class InvalidBaseURL extends SDKError {
  static override readonly defaultCode: number = 400;
}
export class InvalidCredentialFormat extends SDKError {}
export class InvalidCredentials extends SDKError {
  static override readonly defaultCode: number = 403;
}
export class InvalidIndex extends SDKError {}
export class InvalidMethod extends SDKError {
  static override readonly defaultCode: number = 405;
}
export class InvalidOperation extends SDKError {
  static override readonly defaultCode: number = 418;
}
/** A service collection name that FalconTS does not have. */
export class InvalidServiceCollection extends SDKError {
  static override readonly defaultCode: number = 418;
}
/** An operation search (by ID or route) that matched nothing usable. */
export class InvalidOperationSearch extends SDKError {
  static override readonly defaultCode: number = 400;
}
/** A route FalconTS cannot call (an override route that is not a path). */
export class InvalidRoute extends SDKError {
  static override readonly defaultCode: number = 501;
}
/** Arguments must be an object of keywords here (the positional form is only for an `ids`-only operation). */
export class KeywordsOnly extends SDKError {}
export class RegionSelectError extends SDKError {
  static override readonly defaultCode: number = 403;
}
export class TokenNotSpecified extends SDKError {
  static override readonly defaultCode: number = 400;
}
export class FunctionalityNotImplemented extends SDKError {
  static override readonly defaultCode: number = 501;
}
/** A constructor or per-call setting is out of range or of the wrong type (e.g. `retries.maxWait: -1`). */
export class InvalidOption extends SDKError {
  static override readonly defaultCode: number = 400;
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`invalid option ${option}: ${message}`);
  }
}

export interface ValidationIssue {
  /** Where in the payload: e.g. ["body", "resources", 0, "name"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Arguments that do not fit the operation (unknown keywords, schema violations); nothing was sent. */
export class PayloadValidationError extends SDKError {
  static override readonly defaultCode: number = 400;
  constructor(
    readonly operation: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      `${operation}: invalid arguments: ` +
        issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; "),
    );
  }
}

/** The connection failed, was reset, or the body was cut short or unreadable (object mode). */
export class NetworkError extends SDKError {}
/** A connect or read timeout fired (object mode). */
export class TimeoutError extends NetworkError {
  constructor(
    message: string,
    readonly operation?: string,
    readonly elapsedMs?: number,
  ) {
    super(message);
  }
}

/**
 * A body the SDK collects (JSON, text, or bytes it decompresses) passed the client's
 * `maxResponseBytes`: reading stopped there, nothing more was held. Never retried.
 */
export class ResponseTooLarge extends NetworkError {
  constructor(
    message: string,
    readonly operation: string,
    /** The limit in bytes (`maxResponseBytes`). */
    readonly limit: number,
  ) {
    super(message);
  }
}

/** A call through a client that was closed (or whose token owner was closed). */
export class ClientClosed extends SDKError {}

const SDK_WARNING = Symbol.for("falconts.SDKWarning");

/**
 * Warnings (FalconPy's classes) are reported through the `onWarning` hook or the logger, never
 * thrown. They extend Error so that a hook can log a stack or rethrow one deliberately.
 */
export class SDKWarning extends Error {
  readonly [SDK_WARNING] = true;
  /** FalconPy's code of the warning class. */
  static readonly defaultCode: number = 100;
  readonly code: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this.code = (new.target as typeof SDKWarning).defaultCode;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value, SDK_WARNING, SDKWarning);
  }
}
export class NoAuthenticationMechanism extends SDKWarning {
  static override readonly defaultCode: number = 400;
}
export class NoContentWarning extends SDKWarning {
  static override readonly defaultCode: number = 204;
}
export class SSLDisabledWarning extends SDKWarning {
  static override readonly defaultCode: number = 400;
}
/** Credentials are about to travel over plain http to a host that is not loopback (`allowInsecureHttp: true`). */
export class InsecureTransportWarning extends SDKWarning {}
/** An operation or class the API or FalconPy marks deprecated was used (once per process and name). */
export class SDKDeprecationWarning extends SDKWarning {
  static override readonly defaultCode: number = 299;
}
export class DeprecatedOperation extends SDKDeprecationWarning {}
export class DeprecatedClass extends SDKDeprecationWarning {}
/** close() could not revoke the token. */
export class RevokeFailed extends SDKWarning {}
/** A client sharing a token sends it through another proxy or without TLS verification. */
export class SharedTokenChannel extends SDKWarning {}

/** The names of the SDK's warning classes. */
export type WarningName =
  | "NoAuthenticationMechanism"
  | "NoContentWarning"
  | "SSLDisabledWarning"
  | "InsecureTransportWarning"
  | "DeprecatedOperation"
  | "DeprecatedClass"
  | "RevokeFailed"
  | "SharedTokenChannel";

const warnedOnce = new Set<string>();
/** True the first time `key` is seen in this process: deprecations warn once per process. */
export function firstTimeOnly(key: string): boolean {
  if (warnedOnce.has(key)) return false;
  warnedOnce.add(key);
  return true;
}

/** Where a paginator stopped: attached to the error it throws (`err.pagination`). */
export interface PaginationState {
  readonly operation: string;
  /** Pages received before the failure. */
  readonly pages: number;
  /** Items handed to the caller before the failure. */
  readonly itemsYielded: number;
  /** The arguments that fetch the page that failed: pass them to the same paginator to go on. */
  readonly resumeArgs: Readonly<Record<string, unknown>>;
  readonly status?: number;
  readonly traceId?: string;
}

/**
 * A paginator stopped before a request the API would refuse: an integer offset past the
 * 10,000 cap (`reason: "offset-cap"`, with the operation that pages further when there is one)
 * or a scroll token past its `expires_at` (`reason: "token-expired"`).
 */
export class PaginationLimitError extends SDKError {
  constructor(
    readonly operation: string,
    readonly reason: "offset-cap" | "token-expired",
    message: string,
    readonly alternative?: string,
  ) {
    super(message);
  }
}
