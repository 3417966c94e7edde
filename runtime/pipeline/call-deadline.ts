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
 * (an AbortController and a timer per call cost ~13% of a request's CPU). The transport gets no
 * signal for such a call (undici's abort listener per request cost as much again): its wait
 * for headers ends by the deadline (undici's timers for waits over 1 s tick every 0.5 s, so up
 * to about a second late) and the body is destroyed when the deadline passes. A shared deadline
 * fires at most 50 ms after a call's own; a call that has finished by then is not touched.
 */
import { setMaxListeners } from "node:events";
import type { Readable } from "node:stream";
import { TimeoutError } from "../errors.js";
import type { OperationSpec } from "../operation.js";
import { DEFAULT_TIMEOUTS_S } from "../transport.js";
import { Failure, type BodyDeadline, type Next } from "./step.js";

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

/**
 * The deadline of the calls ending within the same 50 ms: one AbortController (what their waits
 * listen to) and the bodies being read, destroyed with the TimeoutError when the time is up.
 */
class SharedDeadline implements BodyDeadline {
  readonly #controller = new AbortController();
  readonly #bodies = new Set<Readable>();

  constructor() {
    // every call of the bucket listens to it while it waits: many listeners are expected
    setMaxListeners(0, this.#controller.signal);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  watch(body: Readable): void {
    if (this.signal.aborted) body.destroy(this.signal.reason as Error);
    else this.#bodies.add(body);
  }

  unwatch(body: Readable): void {
    this.#bodies.delete(body);
  }

  expire(): void {
    const reason = new TimeoutError("the call's total time is up", "");
    this.#controller.abort(reason);
    for (const body of this.#bodies) body.destroy(reason);
    this.#bodies.clear();
  }
}

class SharedDeadlines {
  readonly #buckets = new Map<number, SharedDeadline>();

  /** The shared deadline that expires at or up to 50 ms after `deadline` (epoch ms). */
  join(deadline: number): SharedDeadline {
    const at = Math.ceil(deadline / BUCKET_MS) * BUCKET_MS;
    let shared = this.#buckets.get(at);
    if (shared === undefined) {
      const bucket = new SharedDeadline();
      this.#buckets.set(at, bucket);
      setTimeout(
        () => {
          this.#buckets.delete(at);
          bucket.expire();
        },
        Math.max(0, at - Date.now()),
      ).unref();
      shared = bucket;
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
        const res = await next({ ...req, signal: shared.signal, deadline, bodyDeadline: shared });
        // the transport, given no signal, stopped waiting for headers at the deadline
        if (res instanceof Failure && res.error instanceof TimeoutError && Date.now() >= deadline)
          return timedOut(req.op.id, totalMs, started);
        return res;
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
