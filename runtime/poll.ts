/**
 * poll(): call `fn` until `until` accepts its result, waiting between calls with a back-off
 * (or the job's own hint, e.g. NGSIEM's pollAfter), bounded by `timeout` and `signal`. Every
 * waiter in runtime/helpers/ is built on it; users get it for anything else that polls.
 * `fn` receives the signal to pass to its requests, so a timeout or an abort also cuts the
 * request in flight; the requests themselves go through the client's pipeline, which honours
 * the shared rate-limit cool-down. No timer or listener outlives the call.
 */
import { InvalidOption, SDKError, TimeoutError } from "./errors.js";
import { sleep } from "./retry.js";

export interface PollOptions<T> {
  /** True when `value` is final: poll() resolves with it. */
  until: (value: T) => boolean;
  /** Seconds before the second call (default 1); later waits grow 1.5x up to `maxInterval`. */
  interval?: number;
  /** Longest wait between calls, seconds (default 30). */
  maxInterval?: number;
  /** Seconds for the whole wait (default: none); then a PollTimeoutError carrying the last result. */
  timeout?: number;
  /** Aborts the wait (and the request in flight) with the signal's reason. */
  signal?: AbortSignal;
  /** Seconds to wait after `value` instead of the back-off (undefined: the back-off); capped at `maxInterval`. */
  after?: (value: T) => number | undefined;
  /** What is being waited for, for error messages (default "poll"). */
  label?: string;
}

/** A poll ran out of time: a TimeoutError that keeps the last result seen (undefined when none came). */
export class PollTimeoutError<T = unknown> extends TimeoutError {
  constructor(
    message: string,
    readonly lastResult: T | undefined,
    readonly polls: number,
    elapsedMs: number,
  ) {
    super(message, undefined, elapsedMs);
  }
}

/** A waited job ended in a failure state (a sandbox `error`, a report `FAILED`, an RTR command's stderr on `get`...). */
export class JobFailed<T = unknown> extends SDKError {
  constructor(
    message: string,
    /** The state value that said so. */
    readonly state: unknown,
    /** The last result seen. */
    readonly result: T,
  ) {
    super(message);
  }
}

const TIMED_OUT = Symbol("poll timeout");

function seconds(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min)
    throw new InvalidOption(name, `expected a number of seconds >= ${min}, got ${String(value)}`);
  return value;
}

export async function poll<T>(
  fn: (signal: AbortSignal, attempt: number) => Promise<T>,
  options: PollOptions<T>,
): Promise<T> {
  if (typeof options?.until !== "function") throw new InvalidOption("until", "poll() needs an `until(value)` function");
  const interval = seconds("interval", options.interval, 1, 0);
  const maxInterval = Math.max(interval, seconds("maxInterval", options.maxInterval, 30, 0));
  const timeout = options.timeout === undefined ? undefined : seconds("timeout", options.timeout, 0, 0.001);
  const label = options.label ?? "poll";
  const userSignal = options.signal;
  userSignal?.throwIfAborted();

  const controller = new AbortController();
  const onAbort = (): void => controller.abort(userSignal!.reason);
  userSignal?.addEventListener("abort", onAbort, { once: true });
  const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(TIMED_OUT), timeout * 1000);
  const started = performance.now();
  let last: T | undefined;
  let polls = 0;
  let wait = interval;
  try {
    for (;;) {
      polls++;
      last = await fn(controller.signal, polls);
      if (options.until(last)) return last;
      const hint = options.after?.(last);
      const next = hint !== undefined && Number.isFinite(hint) && hint >= 0 ? Math.min(hint, maxInterval) : wait;
      wait = Math.min(wait * 1.5, maxInterval);
      await sleep(next * 1000, controller.signal);
    }
  } catch (err) {
    if (controller.signal.aborted && controller.signal.reason === TIMED_OUT && !userSignal?.aborted) {
      const elapsed = Math.round(performance.now() - started);
      throw new PollTimeoutError(
        `${label}: not done after ${timeout}s (${polls} ${polls === 1 ? "poll" : "polls"})`,
        last,
        polls,
        elapsed,
      );
    }
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    userSignal?.removeEventListener("abort", onAbort);
  }
}

/** The state value a JobStateRule's `field` names in a body: `meta.status`, `done`, or the first resource's `state`. */
export function stateOf(body: unknown, field: string): unknown {
  let target: unknown = body;
  let path = field;
  if (path.startsWith("resources[].")) {
    const resources = (body as { resources?: unknown } | undefined)?.resources;
    target = Array.isArray(resources) ? resources[0] : undefined;
    path = path.slice("resources[].".length);
  }
  for (const key of path.split("."))
    target = target !== null && typeof target === "object" ? (target as Record<string, unknown>)[key] : undefined;
  return target;
}

/** "success", "failure" or undefined (still running) for a state value against a rule's lists. */
export function outcomeOf(
  value: unknown,
  rule: { readonly success: readonly (string | boolean)[]; readonly failure: readonly (string | boolean)[] },
): "success" | "failure" | undefined {
  const same = (v: string | boolean) =>
    typeof v === "string" && typeof value === "string" ? v.toLowerCase() === value.toLowerCase() : v === value;
  if (rule.failure.some(same)) return "failure";
  if (rule.success.some(same)) return "success";
  return undefined;
}
