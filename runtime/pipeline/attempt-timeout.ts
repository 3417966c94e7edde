/**
 * Per attempt: the numeric `timeout` as a timer over the whole exchange (headers and body;
 * a streamed body is the caller's from the moment it is handed over), `{ connect, read }` passed
 * to the transport, and a failed exchange turned into a Failure saying what happened: the
 * caller's abort rethrows its reason; timeouts become TimeoutError naming the operation, the
 * phase and the time spent; everything else a NetworkError saying what had arrived.
 */
import { NetworkError, SDKError, TimeoutError } from "../errors.js";
import { redact } from "../redact.js";
import type { OperationSpec } from "../operation.js";
import type { ResolvedTimeouts } from "../transport.js";
import { BodyReadError } from "./read-body.js";
import { Failure, type CallRequest, type Next, type StepResult } from "./step.js";

export function attemptTimeoutStep(next: Next): Next {
  return (req) => {
    const started = performance.now();
    const total = req.timeouts.total;
    if (total === undefined) return next(req).catch((err: unknown) => classify(req.op, err, req.signal, undefined, started, req.timeouts));
    return timed(req, total, started, next);
  };
}

/** An attempt under the numeric `timeout`: one timer, cleared when the attempt ends. */
async function timed(req: CallRequest, total: number, started: number, next: Next): Promise<StepResult> {
  let timedOut: TimeoutError | undefined;
  const ac = new AbortController();
  const timer = setTimeout(() => {
    timedOut = new TimeoutError(`${req.op.id}: request timed out after ${total / 1000}s`, req.op.id, total);
    ac.abort(timedOut);
  }, total);
  const sendSignal = req.signal ? AbortSignal.any([req.signal, ac.signal]) : ac.signal;
  try {
    return await next({ ...req, sendSignal });
  } catch (err) {
    return classify(req.op, err, req.signal, timedOut, started, req.timeouts);
  } finally {
    clearTimeout(timer);
  }
}

/** Failed before the request could reach the API: any method may be resent. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
/** Programming or configuration errors: resending cannot help. */
const FATAL_CODES = new Set(["ENOTFOUND", "UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED", "ERR_INVALID_URL", "ERR_TLS_CERT_ALTNAME_INVALID", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED"]);

/** Classifies a failed exchange (exported for its unit tests). */
export function classify(
  op: OperationSpec,
  thrown: unknown,
  userSignal: AbortSignal | undefined,
  timedOut: TimeoutError | undefined,
  started: number,
  timeouts: ResolvedTimeouts,
): Failure {
  if (userSignal?.aborted) throw userSignal.reason;
  const body = thrown instanceof BodyReadError ? thrown : undefined;
  const err = body ? body.cause : thrown;
  const status = body?.status;
  const elapsed = Math.round(performance.now() - started);
  if (timedOut !== undefined) {
    const what = body ? `while reading the HTTP ${status} body` : "before the response";
    return new Failure(new TimeoutError(`${op.id}: request timed out after ${timedOut.elapsedMs! / 1000}s ${what} (${elapsed} ms elapsed)`, op.id, elapsed), true);
  }
  if (err instanceof TimeoutError) return new Failure(err, true);
  // an unparseable success body: the operation ran, resending would not parse better
  if (err instanceof NetworkError) return new Failure(err, undefined);
  if (SDKError.isSDKError(err)) throw err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  const detail = redact(String(e?.cause?.message ?? e?.message ?? err));
  const secs = (ms: number | undefined) => (ms === undefined ? "the default time" : `${ms / 1000}s`);
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new Failure(new TimeoutError(`${op.id}: connect timeout: no connection within ${secs(timeouts.connect)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), false);
    case "UND_ERR_HEADERS_TIMEOUT":
      return new Failure(new TimeoutError(`${op.id}: read timeout: no response headers within ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), true);
    case "UND_ERR_BODY_TIMEOUT":
      return new Failure(
        new TimeoutError(`${op.id}: read timeout: the HTTP ${status ?? ""} body stalled for ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed),
        true,
      );
    case "ETIMEDOUT":
      return new Failure(new TimeoutError(`${op.id}: ${detail} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), true);
  }
  if (body) {
    const ct = body.headers["content-type"];
    const len = body.headers["content-length"];
    const what = `HTTP ${status}${ct ? `, ${ct}` : ""}${len ? `, Content-Length ${len}` : ""}`;
    return new Failure(new NetworkError(`${op.id}: response body cut short after ${what}: ${detail}${code ? ` (${code})` : ""}`, { cause: err }), true);
  }
  const out = new NetworkError(`${op.id}: network error: ${detail}${code ? ` (${code})` : ""}`, { cause: err });
  if (code !== undefined && FATAL_CODES.has(code)) return new Failure(out, undefined);
  if (err instanceof TypeError && code === undefined) return new Failure(out, undefined);
  return new Failure(out, code !== undefined && NOT_SENT_CODES.has(code) ? false : true);
}
