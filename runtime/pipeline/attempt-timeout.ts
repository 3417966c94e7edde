/**
 * Per attempt: `{ connect, read }` go to the transport (send.ts); here a failed exchange is
 * turned into a Failure saying what happened: an abort of the call's signal (the caller's, or
 * the call's total time) rethrows its reason; timeouts become TimeoutError naming the operation,
 * the phase and the time spent; everything else a NetworkError saying what had arrived.
 */
import { NetworkError, SDKError, TimeoutError } from "../errors.js";
import { redact } from "../redact.js";
import type { OperationSpec } from "../operation.js";
import type { ResolvedTimeouts } from "../transport.js";
import { PERMANENT_NETWORK_CODES, networkErrorCode } from "../wire.js";
import { BodyReadError, Failure, type Next } from "./step.js";

export function attemptTimeoutStep(next: Next): Next {
  return (req) => {
    const started = performance.now();
    return next(req).catch((err: unknown) => classify(req.op, err, req.signal, started, req.timeouts));
  };
}

/** Failed before the request could reach the API: any method may be resent. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** Classifies a failed exchange (exported for its unit tests). */
export function classify(
  op: OperationSpec,
  thrown: unknown,
  userSignal: AbortSignal | undefined,
  started: number,
  timeouts: ResolvedTimeouts,
): Failure {
  if (userSignal?.aborted) throw userSignal.reason;
  const body = thrown instanceof BodyReadError ? thrown : undefined;
  const err = body ? body.cause : thrown;
  const status = body?.status;
  const elapsed = Math.round(performance.now() - started);
  if (err instanceof TimeoutError) return new Failure(err, true);
  // an unparseable success body: the operation ran, resending would not parse better
  if (err instanceof NetworkError) return new Failure(err, undefined);
  if (SDKError.isSDKError(err)) throw err;
  const e = err as { message?: string; cause?: { message?: string } } | undefined;
  const code = networkErrorCode(err);
  const detail = redact(String(e?.cause?.message ?? e?.message ?? err));
  const secs = (ms: number | undefined) => (ms === undefined ? "the default time" : `${ms / 1000}s`);
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new Failure(
        new TimeoutError(
          `${op.id}: connect timeout: no connection within ${secs(timeouts.connect)} (${code}, ${elapsed} ms elapsed)`,
          op.id,
          elapsed,
        ),
        false,
      );
    case "UND_ERR_HEADERS_TIMEOUT":
      return new Failure(
        new TimeoutError(
          `${op.id}: read timeout: no response headers within ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`,
          op.id,
          elapsed,
        ),
        true,
      );
    case "UND_ERR_BODY_TIMEOUT":
      return new Failure(
        new TimeoutError(
          `${op.id}: read timeout: the HTTP ${status ?? ""} body stalled for ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`,
          op.id,
          elapsed,
        ),
        true,
      );
    case "ETIMEDOUT":
      return new Failure(
        new TimeoutError(`${op.id}: ${detail} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed),
        true,
      );
  }
  if (body) {
    const ct = body.headers["content-type"];
    const len = body.headers["content-length"];
    const what = `HTTP ${status}${ct ? `, ${ct}` : ""}${len ? `, Content-Length ${len}` : ""}`;
    return new Failure(
      new NetworkError(`${op.id}: response body cut short after ${what}: ${detail}${code ? ` (${code})` : ""}`, {
        cause: err,
      }),
      true,
    );
  }
  const out = new NetworkError(`${op.id}: network error: ${detail}${code ? ` (${code})` : ""}`, { cause: err });
  if (code !== undefined && PERMANENT_NETWORK_CODES.has(code)) return new Failure(out, undefined);
  if (err instanceof TypeError && code === undefined) return new Failure(out, undefined);
  return new Failure(out, !(code !== undefined && NOT_SENT_CODES.has(code)));
}
