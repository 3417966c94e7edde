/**
 * The SDK's error and warning types (FalconPy's names). Each is branded with a
 * Symbol.for() key so that checks work across duplicate copies of the package
 * (ESM and CommonJS loaded side by side), where `instanceof` does not.
 */
import { hasBrand, isBrandedInstance } from "./brand.js";
import { redact } from "./redact.js";

const SDK_ERROR = Symbol.for("falconts.SDKError");

export class SDKError extends Error {
  readonly [SDK_ERROR] = true;
  /** The error class name, stable across package copies. */
  readonly code: string;
  /** The message is redacted before anything (the stack included) captures it: servers echo requests. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options);
    this.name = new.target.name;
    this.code = new.target.name;
  }
  /** Own fields (an APIError's body and headers...) and the cause, redacted. */
  #details(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this)) if (k !== "name") out[k] = (this as Record<string, unknown>)[k];
    if (this.cause !== undefined) out["cause"] = this.cause;
    return redact(out);
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.#details() };
  }
  [Symbol.for("nodejs.util.inspect.custom")](_depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    const stack = redact(this.stack ?? `${this.name}: ${this.message}`);
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

/** Warnings are reported through the warning hook or the logger, never thrown (nor printed to the console). */
export type WarningName = "NoAuthenticationMechanism" | "NoContentWarning" | "SSLDisabledWarning" | "InsecureTransportWarning";
export class SDKWarning {
  readonly name: WarningName;
  constructor(readonly message: string) {
    this.name = new.target.name as WarningName;
  }
}
/** Credentials are about to travel over plain http to a host that is not loopback (`allowInsecureHttp: true`). */
export class InsecureTransportWarning extends SDKWarning {}
