/**
 * Reads the answer's body (the one body parser in wire.ts), or hands it over as a web stream.
 * A read that fails midway throws BodyReadError, so the attempt step can say what had arrived.
 */
import type { SDKWarning } from "../errors.js";
import { lowerHeaders, readBody, toWebStream } from "../wire.js";
import type { Next, WireNext } from "./step.js";

export class BodyReadError {
  constructor(
    readonly cause: unknown,
    readonly status: number,
    readonly headers: Record<string, string>,
  ) {}
}

export function readBodyStep(next: WireNext, onWarning: ((w: SDKWarning) => void) | undefined): Next {
  return async (req) => {
    const res = await next(req);
    const status = res.statusCode;
    const headers = lowerHeaders(res.headers);
    if (req.bodyMode === "stream" && status < 300) return { status_code: status, headers, body: toWebStream(res.body) };
    if (req.bodyMode === "raw") {
      // what a WHATWG Response may carry: no body for these
      const nullBody = status === 204 || status === 304 || req.method === "HEAD";
      if (nullBody) res.body.resume();
      return { status_code: status, headers, body: nullBody ? null : toWebStream(res.body) };
    }
    try {
      return { status_code: status, headers, body: await readBody(req.op, res, headers, onWarning) };
    } catch (err) {
      throw new BodyReadError(err, status, headers);
    }
  };
}
