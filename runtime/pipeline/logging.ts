/** Debug records of each attempt (redacted by DebugLog); only in the chain when `debug` is on. */
import type { DebugLog } from "../logging.js";
import type { Next } from "./step.js";

export function loggingStep(log: DebugLog, next: Next): Next {
  return async (req) => {
    log.record("request", {
      operation: req.op.id,
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: logBody(req.body),
    });
    const started = performance.now();
    const res = await next(req);
    if ("status_code" in res) {
      const b = res.body;
      const body = b instanceof Uint8Array ? b : b instanceof ReadableStream ? "<stream>" : b;
      log.record("response", {
        operation: req.op.id,
        status: res.status_code,
        headers: res.headers,
        body,
        ms: Math.round(performance.now() - started),
      });
    }
    return res;
  };
}

function logBody(body: unknown): unknown {
  if (typeof body === "string" && body.length && (body[0] === "{" || body[0] === "[")) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return body;
}
