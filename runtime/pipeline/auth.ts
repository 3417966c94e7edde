/**
 * Authorization of each attempt: the bearer token (logging in or refreshing, single-flight),
 * Basic for /oauth2/revoke, nothing for /oauth2/token. A 401 to a bearer token marks it
 * rejected and the request is sent once more with a fresh one. A numeric `timeout` bounds the
 * login a call starts or joins, for this caller only (the login goes on for the others).
 */
import type { AuthOutcome } from "../auth/outcome.js";
import { TimeoutError } from "../errors.js";
import type { OperationSpec } from "../operation.js";
import { baseUrlFor } from "../payload.js";
import { Failure, Refusal, dropBody, type CallRequest, type Next } from "./step.js";

/** What the auth step needs of the auth layer (AuthSession satisfies it). */
export interface PipelineAuth {
  readonly baseUrl: string;
  /** `waitMs` bounds the wait for a login; past it the promise rejects with a DOMException named "TimeoutError". */
  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome>;
  basicAuthorization(): string | undefined;
  tokenRejected(token: string): void;
}

const NO_TOKEN_PATH = "/oauth2/token";
const BASIC_PATH = "/oauth2/revoke";

export function authStep(auth: PipelineAuth, next: Next): Next {
  return async (req) => {
    const route = req.op.path;
    if (route === BASIC_PATH) {
      const basic = auth.basicAuthorization();
      return next(basic ? withAuthorization(auth, req, basic) : req);
    }
    if (route === NO_TOKEN_PATH || req.callerAuthorization) return next(req);
    const started = performance.now();
    const total = req.timeouts.total;
    const outcome = await authorize(auth, req, total, "while logging in, before the request was sent");
    if (outcome instanceof Failure) return outcome;
    if (!outcome.ok) return new Refusal(outcome);
    const sent = outcome.headers.authorization!;
    const res = await next(withAuthorization(auth, req, sent));
    if (!("status_code" in res) || res.status_code !== 401) return res;
    // The token was refused (revoked, or expired early): get a fresh one and resend once.
    const token = sent.slice("Bearer ".length);
    auth.tokenRejected(token);
    // the refresh gets what is left of this attempt's total time
    const left = total === undefined ? undefined : Math.max(1, total - (performance.now() - started));
    const fresh = await authorize(auth, req, left, "while logging in again after a 401");
    if (fresh instanceof Failure) return fresh;
    if (!fresh.ok || fresh.headers.authorization === sent) return res;
    dropBody(res);
    return next(withAuthorization(auth, req, fresh.headers.authorization!));
  };
}

/** The request with its Authorization, sent to the base URL in effect now (a login may have discovered another region). */
function withAuthorization(auth: PipelineAuth, req: CallRequest, value: string): CallRequest {
  return { ...req, url: baseUrlFor(req.op, auth.baseUrl) + req.path, headers: { ...req.headers, authorization: value } };
}

/**
 * authorize(), bounded by the call's total timeout when it has one: past it, a Failure with a
 * TimeoutError naming the operation (never retried). Rejects only when the caller's own signal aborts.
 */
function authorize(auth: PipelineAuth, req: CallRequest, totalMs: number | undefined, what: string): Promise<AuthOutcome | Failure> {
  return totalMs === undefined ? auth.authorize(req.signal) : bounded(auth, req, totalMs, what);
}

async function bounded(auth: PipelineAuth, req: CallRequest, totalMs: number, what: string): Promise<AuthOutcome | Failure> {
  const started = performance.now();
  try {
    return await auth.authorize(req.signal, totalMs);
  } catch (err) {
    // the caller's own abort stays an abort; the login's time limit becomes a TimeoutError
    if (req.signal?.aborted || !(err instanceof DOMException && err.name === "TimeoutError")) throw err;
    return new Failure(timedOut(req.op, totalMs, what, Math.round(performance.now() - started)), undefined);
  }
}

function timedOut(op: OperationSpec, totalMs: number, what: string, elapsed: number): TimeoutError {
  return new TimeoutError(`${op.id}: request timed out after ${totalMs / 1000}s ${what} (${elapsed} ms elapsed)`, op.id, elapsed);
}
