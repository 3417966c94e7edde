/** The innermost step: one request through the client's transport. Failures throw as they come. */
import type { Transport } from "../transport.js";
import type { WireNext } from "./step.js";

export function sendStep(transport: Transport): WireNext {
  return (req) => {
    const t = req.timeouts;
    const deadline = req.bodyDeadline === undefined ? undefined : req.deadline;
    return transport.send(req.url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.body ?? null,
      // a call that shares its deadline hands the transport no signal: the wait for headers ends
      // by the deadline instead, and the body reader has the body destroyed when it passes
      signal: deadline === undefined ? req.signal : undefined,
      headersTimeout: deadline === undefined ? t.read : Math.min(t.read, Math.max(1, deadline - Date.now())),
      bodyTimeout: t.read,
    });
  };
}
