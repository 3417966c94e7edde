/**
 * The SDK's error and warning types (FalconPy's names). Each is branded with a
 * Symbol.for() key so that checks work across duplicate copies of the package
 * (ESM and CommonJS loaded side by side), where `instanceof` does not.
 */
import { hasBrand, isBrandedInstance } from "./brand.js";

const SDK_ERROR = Symbol.for("falconts.SDKError");

export class SDKError extends Error {
  readonly [SDK_ERROR] = true;
  /** Set on errors a paginator throws: where it stopped and how to resume (runtime/paginate). */
  declare pagination?: PaginationState;
  /** The error class name, stable across package copies. */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = new.target.name;
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

/** An API answered with status >= 400 (object mode). */
export class APIError extends SDKError {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}
export class CannotRevokeToken extends SDKError {}
export class InvalidBaseURL extends SDKError {}
export class InvalidCredentialFormat extends SDKError {}
export class InvalidCredentials extends SDKError {}
export class InvalidIndex extends SDKError {}
export class InvalidMethod extends SDKError {}
export class InvalidOperation extends SDKError {}
export class RegionSelectError extends SDKError {}
export class TokenNotSpecified extends SDKError {}
export class FunctionalityNotImplemented extends SDKError {}
/** A constructor or per-call setting is out of range or of the wrong type (e.g. `retries.maxWait: -1`). */
export class InvalidOption extends SDKError {
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

/** A call through a client that was closed (or whose token owner was closed). */
export class ClientClosed extends SDKError {}

/** Warnings are reported through the warning hook or the logger, never thrown. */
export type WarningName =
  | "NoAuthenticationMechanism"
  | "NoContentWarning"
  | "SSLDisabledWarning"
  /** close() could not revoke the token. */
  | "RevokeFailed"
  /** A client sharing a token sends it through another proxy or without TLS verification. */
  | "SharedTokenChannel";
export interface SDKWarning {
  readonly name: WarningName;
  readonly message: string;
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
