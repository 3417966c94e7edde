/**
 * Reads the answer's body (the one body parser in wire.ts, bounded by `maxResponseBytes`), or
 * hands it over as a web stream (unbounded: the caller reads it), decoded (gzip, deflate, br)
 * unless the caller asked for an encoding of its own.
 * A read that fails midway throws BodyReadError, so the attempt step can say what had arrived.
 */
import { ACCEPT_ENCODING, type BodyOptions, decoded, lowerHeaders, readBody, toWebStream } from "../wire.js";
import type { WireResponse } from "../transport.js";
import { classify } from "./attempt-timeout.js";
import { BodyReadError, type CallRequest, type Next, type WireNext } from "./step.js";

export function readBodyStep(next: WireNext, options: BodyOptions): Next {
  return async (req) => {
    const res = await next(req);
    const status = res.statusCode;
    const headers = lowerHeaders(res.headers);
    // the caller who asked for an encoding (FalconX's Accept-Encoding parameter) gets the bytes as sent
    const decode = req.headers["accept-encoding"] === ACCEPT_ENCODING;
    if (req.bodyMode === "stream" && status < 300)
      return { status_code: status, headers, body: handOver(req, res, headers, decode) };
    if (req.bodyMode === "raw") {
      // what a WHATWG Response may carry: no body for these
      const nullBody = status === 204 || status === 304 || req.method === "HEAD";
      if (nullBody) res.body.resume();
      return { status_code: status, headers, body: nullBody ? null : handOver(req, res, headers, decode) };
    }
    const deadline = req.bodyDeadline;
    deadline?.watch(res.body);
    try {
      return { status_code: status, headers, body: await readBody(req.op, res, headers, options, decode) };
    } catch (err) {
      throw new BodyReadError(err, status, headers);
    } finally {
      deadline?.unwatch(res.body);
    }
  };
}

/** The body as a web stream whose read failures are the SDK's: NetworkError, TimeoutError, or the abort's reason. */
function handOver(
  req: CallRequest,
  res: WireResponse,
  headers: Record<string, string>,
  decode: boolean,
): ReadableStream<Uint8Array> {
  const started = performance.now();
  const describe = (err: unknown): unknown => {
    try {
      return classify(req.op, new BodyReadError(err, res.statusCode, headers), req.signal, started, req.timeouts).error;
    } catch (abortReason) {
      return abortReason;
    }
  };
  return toWebStream((decode ? decoded(res, headers) : res).body, describe, req.onBodyDone);
}
