/**
 * The shapes the pipeline steps share: the runtime's own request (no WHATWG objects on the hot
 * path) and what a step hands back. Each step is a factory taking the next step and returning
 * a `Next`; the chain is composed once per client (pipeline.ts), not per call.
 */
import type { Readable } from "node:stream";
import type { NetworkError } from "../errors.js";
import type { AuthFailure } from "../auth/outcome.js";
import type { OperationSpec } from "../operation.js";
import type { DictResult } from "../results.js";
import type { ResolvedTimeouts, SendInit, WireResponse } from "../transport.js";

/**
 * Every field is present in each request made (undefined when unset): steps copy the request
 * with a spread, and V8 copies an object that gains no new property in ~30 ns, one that gains
 * one in ~1 us (a request's whole runtime cost is ~10 us).
 */
export interface CallRequest {
  readonly op: OperationSpec;
  readonly method: string;
  /** Route and query string, relative to the base URL. */
  readonly path: string;
  /** Full URL: the auth step resolves it again once the token (and with it the region) is known. */
  readonly url: string;
  /** Names in lower case. Steps that change them copy the request. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: SendInit["body"];
  /** The caller gave its own Authorization in the call's `headers`: it is sent as given, no login. */
  readonly callerAuthorization: boolean;
  /**
   * The caller's signal: its abort rejects the call in every mode. Below the call-deadline step,
   * the call's own signal (the caller's abort and the call's total time).
   */
  readonly signal: AbortSignal | undefined;
  readonly timeouts: ResolvedTimeouts;
  /** When the call's total time is up (epoch ms; set by the call-deadline step): no wait may pass it. */
  readonly deadline: number | undefined;
  /**
   * Set by the call-deadline step for calls that share a deadline: the transport is not given
   * the signal (an abort listener per request costs more than the rest of the step), so the
   * send ends its wait for headers by the deadline and the body reader registers the body here.
   */
  readonly bodyDeadline: BodyDeadline | undefined;
  /** Called once a body handed over unread (stream/raw) has ended: the call stops listening to the caller's signal. */
  readonly onBodyDone: (() => void) | undefined;
  /** Hand the body over unread: a success's (`stream` option), or every answer's (`raw`, the fetch client). */
  readonly bodyMode: "parse" | "stream" | "raw";
  /** The routed payload values, kept when user middleware wants them as `params`. */
  readonly params:
    | {
        query?: Record<string, unknown>;
        header?: Record<string, unknown>;
        path?: Record<string, unknown>;
      }
    | undefined;
}

/** Destroys a registered body with the call's TimeoutError when the deadline passes (see call-deadline.ts). */
export interface BodyDeadline {
  watch(body: Readable): void;
  unwatch(body: Readable): void;
}

/** A failed exchange and whether it may have reached the operation (so only replayable calls resend it). */
export class Failure {
  constructor(
    readonly error: NetworkError,
    /** true: retry only replayable requests; false: nothing was sent, any request may retry; undefined: never retry. */
    readonly reached: boolean | undefined,
  ) {}
}

/** A body read that failed midway, with what had arrived (the attempt step says so). */
export class BodyReadError {
  constructor(
    readonly cause: unknown,
    readonly status: number,
    readonly headers: Record<string, string>,
  ) {}
}

/** No token could be had (bad credentials, the token endpoint's 429, no mechanism): never retried. */
export class Refusal {
  constructor(readonly outcome: AuthFailure) {}
}

export type StepResult = DictResult<unknown> | Failure | Refusal;

/** The rest of the chain, from a step's point of view, above the body reader. */
export type Next = (req: CallRequest) => Promise<StepResult>;
/** The rest of the chain below the body reader: an unread answer; failures throw. */
export type WireNext = (req: CallRequest) => Promise<WireResponse>;

/** Cancels a body nobody will read (an answer a retry replaces). */
export function dropBody(result: DictResult<unknown>): void {
  const b = result.body;
  if (b instanceof ReadableStream) void b.cancel().catch(() => undefined);
}
