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
 *
 * A call without a signal of its own whose body is parsed (the common case) joins a shared
 * deadline: calls ending within the same 50 ms share one AbortController and one unref'd timer
 * (an AbortController and a timer per call cost ~13% of a request's CPU). A shared deadline
 * fires at most 50 ms after a call's own; a call that has finished by then no longer listens.
 */
import { setMaxListeners } from "node:events";
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

const BUCKET_MS = 50;

/** One AbortController per 50 ms of deadlines, aborted (with its own reason) when that time comes. */
class SharedDeadlines {
  readonly #buckets = new Map<number, AbortController>();

  /** The shared controller that aborts at or up to 50 ms after `deadline` (epoch ms). */
  join(deadline: number): AbortController {
    const at = Math.ceil(deadline / BUCKET_MS) * BUCKET_MS;
    let shared = this.#buckets.get(at);
    if (shared === undefined) {
      const controller = new AbortController();
      // every call of the bucket listens to it while in flight: many listeners are expected
      setMaxListeners(0, controller.signal);
      this.#buckets.set(at, controller);
      setTimeout(
        () => {
          this.#buckets.delete(at);
          controller.abort(new TimeoutError("the call's total time is up", ""));
        },
        Math.max(0, at - Date.now()),
      ).unref();
      shared = controller;
    }
    return shared;
  }
}

const sharedDeadlines = new SharedDeadlines();

export function callDeadlineStep(next: Next): Next {
  const fanOut = new SignalFanOut();
  return async (req) => {
    const caller = req.signal;
    if (caller?.aborted) throw caller.reason;
    const totalMs = req.timeouts.total ?? defaultTotalMs(req.op);
    const started = performance.now();
    if (caller === undefined && req.bodyMode === "parse") {
      const deadline = Date.now() + totalMs;
      const shared = sharedDeadlines.join(deadline);
      try {
        return await next({ ...req, signal: shared.signal, deadline });
      } catch (err) {
        if (!shared.signal.aborted || err !== shared.signal.reason) throw err;
        return timedOut(req.op.id, totalMs, started);
      }
    }
    const call = new AbortController();
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
      return timedOut(req.op.id, totalMs, started);
    } finally {
      clearTimeout(timer);
      if (!handedOver) release();
    }
  };
}

function timedOut(operationId: string, totalMs: number, started: number): Failure {
  const elapsed = Math.round(performance.now() - started);
  const message = `${operationId}: request timed out after ${totalMs / 1000}s, the call's total time (${elapsed} ms elapsed)`;
  return new Failure(new TimeoutError(message, operationId, elapsed), undefined);
}
