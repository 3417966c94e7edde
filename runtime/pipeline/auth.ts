/**
 * Authorization of each attempt: the bearer token (logging in or refreshing, single-flight),
 * Basic for /oauth2/revoke, nothing for /oauth2/token. A 401 to a bearer token marks it
 * rejected and the request is sent once more with a fresh one. The call's signal bounds the
 * login a call starts or joins, for this caller only (the login goes on for the others).
 */
import type { AuthOutcome } from "../auth/outcome.js";
import { baseUrlFor } from "../payload.js";
import { Refusal, dropBody, type CallRequest, type Next } from "./step.js";

/** What the auth step needs of the auth layer (AuthSession satisfies it). */
export interface PipelineAuth {
  readonly baseUrl: string;
  /** `waitMs` bounds the wait for a login; past it the promise rejects with a DOMException named "TimeoutError". */
  authorize(signal?: AbortSignal, waitMs?: number): Promise<AuthOutcome>;
  /** What authorize() would answer at once (a usable token), or undefined: spares the common call an await. */
  authorizedNow(): AuthOutcome | undefined;
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
    // the call's signal bounds the wait for a login (the caller's abort, the call's total time)
    const outcome = auth.authorizedNow() ?? (await auth.authorize(req.signal));
    if (!outcome.ok) return new Refusal(outcome);
    const sent = outcome.headers.authorization!;
    const res = await next(withAuthorization(auth, req, sent));
    if (!("status_code" in res) || res.status_code !== 401) return res;
    // The token was refused (revoked, or expired early): get a fresh one and resend once.
    auth.tokenRejected(sent.slice("Bearer ".length));
    const fresh = await auth.authorize(req.signal);
    if (!fresh.ok || fresh.headers.authorization === sent) return res;
    dropBody(res);
    return next(withAuthorization(auth, req, fresh.headers.authorization!));
  };
}

/** The request with its Authorization, sent to the base URL in effect now (a login may have discovered another region). */
function withAuthorization(auth: PipelineAuth, req: CallRequest, value: string): CallRequest {
  // the new property first (V8 copies it ~10x faster), then set again over one in extHeaders
  const headers: Record<string, string> = { authorization: value, ...req.headers };
  headers.authorization = value;
  return { ...req, url: baseUrlFor(req.op, auth.baseUrl) + req.path, headers };
}
