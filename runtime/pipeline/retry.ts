/**
 * Retries, one budget for all causes: a 429 (any method: the API refused without running it)
 * after the API's wait, through the shared cool-down so a burst does not stampede; a transient
 * 502/503/504 or a network failure for requests that may be replayed, with jittered back-off.
 * A failed login is never retried here (the auth layer has its own back-off). No wait may pass
 * the call's deadline: the last answer is returned instead.
 */
import { NetworkError, TimeoutError } from "../errors.js";
import type { DebugLog } from "../logging.js";
import {
  backoffMs,
  isTransientStatus,
  mayReplay,
  rateLimitWait,
  retryAfterHeader,
  retryLoop,
  sleep,
  type CoolDown,
  type RetryPolicy,
} from "../retry.js";
import { Failure, dropBody, type CallRequest, type Next, type StepResult } from "./step.js";

export function retryStep(
  policy: RetryPolicy,
  coolDown: CoolDown | undefined,
  log: DebugLog | undefined,
  next: Next,
): Next {
  // the common answer (a success, or a status no retry changes) leaves at once: no loop, no closures
  return (req) => next(req).then((first) => (mayRetry(first) ? retried(req, first) : first));

  function retried(req: CallRequest, first: StepResult): Promise<StepResult> {
    const op = req.op;
    let viaCoolDown = false;
    const decide = (res: StepResult, retries: number): number | undefined => {
      if (retries >= policy.attempts) return undefined;
      const retry = retries + 1;
      viaCoolDown = false;
      let wait: number;
      let reason: string;
      if (res instanceof Failure) {
        if (res.reached === undefined || (res.reached && !mayReplay(op, policy))) return undefined;
        wait = backoffMs(retry, policy);
        reason = res.error.message;
      } else if (!("status_code" in res)) {
        return undefined;
      } else if (res.status_code === 429) {
        const now = Date.now();
        wait = rateLimitWait(res.headers, now, retry, policy).waitMs;
        reason = "HTTP 429";
        if (coolDown !== undefined) {
          coolDown.extend(now + wait);
          viaCoolDown = true;
        }
      } else if (isTransientStatus(res.status_code) && mayReplay(op, policy)) {
        const now = Date.now();
        const at = retryAfterHeader(res.headers, now);
        wait = at !== undefined && at > now ? Math.min(at - now, policy.maxWaitMs) : backoffMs(retry, policy);
        reason = `HTTP ${res.status_code}`;
      } else {
        return undefined;
      }
      // a wait past the call's total time: the answer (a 429 too) is returned at once
      if (req.deadline !== undefined && Date.now() + wait >= req.deadline) {
        viaCoolDown = false;
        return undefined;
      }
      if (!(res instanceof Failure)) dropBody(res);
      log?.record("retry", { operation: op.id, retry, reason, waitMs: wait });
      return wait;
    };
    const pause = async (ms: number): Promise<void> => {
      if (!viaCoolDown) await sleep(ms, req.signal);
      if (coolDown !== undefined && coolDown.until !== 0) await coolDown.wait(req.signal);
    };
    return retryLoop(() => next(req), decide, pause, Promise.resolve(first)).then(({ value, retries }) =>
      value instanceof Failure && retries > 0 ? new Failure(withRetries(value.error, retries), value.reached) : value,
    );
  }
}

/** What a retry might change: a failed exchange, a 429, a transient 5xx (the rest of the decision is the loop's). */
function mayRetry(res: StepResult): boolean {
  if (res instanceof Failure) return true;
  return "status_code" in res && (res.status_code === 429 || isTransientStatus(res.status_code));
}

/** The final error of a call that was retried says so. */
function withRetries(err: NetworkError, retries: number): NetworkError {
  const message = `${err.message} (gave up after ${retries} ${retries === 1 ? "retry" : "retries"})`;
  if (err instanceof TimeoutError) return new TimeoutError(message, err.operation, err.elapsedMs);
  return new NetworkError(message, { cause: err.cause ?? err });
}
