/** The innermost step: one request through the client's transport. Failures throw as they come. */
import type { Transport } from "../transport.js";
import type { WireNext } from "./step.js";

export function sendStep(transport: Transport): WireNext {
  return (req) => {
    const t = req.timeouts;
    return transport.send(req.url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.body ?? null,
      signal: req.signal,
      headersTimeout: t.read,
      bodyTimeout: t.read,
    });
  };
}
