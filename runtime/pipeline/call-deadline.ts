/**
 * The outermost step: one AbortSignal per call, which every step below listens to (the sends,
 * back-off and 429 waits, the cool-down, the login a call joins). It aborts with the caller's
 * reason when the caller's signal aborts, and with a TimeoutError when the call's `total` time
 * is up (a returned Failure, like the other timeouts). With `stream`/`raw` bodies `total` ends
 * when the headers arrive; the caller's signal still ends the body until it is read.
 *
 * The caller's signal gets one listener per client, however many calls share it (it fans out
 * to the calls in flight), so sharing one signal across many calls prints no
 * MaxListenersExceededWarning.
 */
import { TimeoutError } from "../errors.js";
import type { OperationSpec } from "../operation.js";
import { DEFAULT_TIMEOUTS_S } from "../transport.js";
import { Failure, type Next } from "./step.js";

/** The longest wait Falcon APIs accept as their own `timeout` argument (RTR: 300 s), plus a margin. */
const API_TIMEOUT_TOTAL_MS = (300 + 30) * 1000;
const API_TIMEOUT_PARAMS = new Set(["timeout", "timeout_duration"]);
const defaultTotals = new WeakMap<OperationSpec, number>();

/**
 * The call's `total` when the caller set none: 120 s, or, for an operation whose API takes its
 * own `timeout`/`timeout_duration` (RTR sessions and commands, up to 300 s), a total above that.
 */
export function defaultTotalMs(op: OperationSpec): number {
  let ms = defaultTotals.get(op);
  if (ms === undefined) {
    const waits =
      op.params.some((p) => API_TIMEOUT_PARAMS.has(p.name)) ||
      (op.bodyKeys ?? []).some((k) => API_TIMEOUT_PARAMS.has(k));
    ms = waits ? API_TIMEOUT_TOTAL_MS : DEFAULT_TIMEOUTS_S.total * 1000;
    defaultTotals.set(op, ms);
  }
  return ms;
}

/** The calls in flight under each caller signal, for the one listener that fans an abort out. */
class SignalFanOut {
  readonly #calls = new WeakMap<AbortSignal, Set<AbortController>>();

  add(signal: AbortSignal, call: AbortController): void {
    let calls = this.#calls.get(signal);
    if (calls === undefined) {
      const set = (calls = new Set());
      this.#calls.set(signal, set);
      signal.addEventListener(
        "abort",
        () => {
          this.#calls.delete(signal);
          for (const c of set) c.abort(signal.reason);
        },
        { once: true },
      );
    }
    calls.add(call);
  }

  remove(signal: AbortSignal, call: AbortController): void {
    this.#calls.get(signal)?.delete(call);
  }
}

export function callDeadlineStep(next: Next): Next {
  const fanOut = new SignalFanOut();
  return async (req) => {
    const caller = req.signal;
    if (caller?.aborted) throw caller.reason;
    const call = new AbortController();
    const totalMs = req.timeouts.total ?? defaultTotalMs(req.op);
    const started = performance.now();
    let expired: TimeoutError | undefined;
    const timer = setTimeout(() => {
      expired = new TimeoutError(
        `${req.op.id}: request timed out after ${totalMs / 1000}s, the call's total time`,
        req.op.id,
        totalMs,
      );
      call.abort(expired);
    }, totalMs);
    if (caller !== undefined) fanOut.add(caller, call);
    let handedOver = false;
    const release = (): void => {
      if (caller !== undefined) fanOut.remove(caller, call);
    };
    try {
      const res = await next({ ...req, signal: call.signal, deadline: Date.now() + totalMs, onBodyDone: release });
      handedOver = !(res instanceof Failure) && "body" in res && res.body instanceof ReadableStream;
      return res;
    } catch (err) {
      if (expired === undefined || err !== expired) throw err;
      const elapsed = Math.round(performance.now() - started);
      return new Failure(new TimeoutError(`${expired.message} (${elapsed} ms elapsed)`, req.op.id, elapsed), undefined);
    } finally {
      clearTimeout(timer);
      if (!handedOver) release();
    }
  };
}
