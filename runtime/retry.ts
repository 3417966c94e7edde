/**
 * Retry policy for the request pipeline: option validation, the shared 429 cool-down,
 * back-off with full jitter, and which requests may be replayed. No I/O and no undici here,
 * so the auth object can validate options at construction without loading the transport.
 */
import { InvalidOption } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import type { RetrySettings, TimeoutSetting } from "./options.js";

export interface RetryPolicy {
  /** Retries after the first attempt (429s and transient faults share the budget). */
  readonly attempts: number;
  /** Longest single wait, ms. */
  readonly maxWaitMs: number;
  readonly retryNonIdempotent: boolean;
  /** First back-off step, ms (doubles per attempt, full jitter). */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  attempts: 3,
  maxWaitMs: 60_000,
  retryNonIdempotent: false,
  baseDelayMs: 250,
});
export const NO_RETRY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY, attempts: 0 });

const MAX_ATTEMPTS = 10;
const MAX_WAIT_S = 3600;
/** A day: anything longer is a unit mistake (ms given as seconds), not a timeout. */
const MAX_TIMEOUT_S = 86_400;

function bad(option: string, message: string): never {
  throw new InvalidOption(option, message);
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? "an array" : typeof v;
}

function seconds(option: string, v: unknown, max: number, allowZero: boolean): number {
  if (typeof v !== "number" || !Number.isFinite(v)) bad(option, `expected a number of seconds, got ${describe(v)}`);
  if (v < 0 || (!allowZero && v === 0)) bad(option, `must be ${allowZero ? ">= 0" : "> 0"} seconds, got ${v}`);
  if (v > max) bad(option, `must be at most ${max} seconds, got ${v}`);
  return v;
}

/** Validates and resolves `retries` (number of retries, or settings); throws naming the option. */
export function resolveRetries(setting: number | RetrySettings | undefined, option = "retries"): RetryPolicy {
  if (setting === undefined || setting === null) return DEFAULT_RETRY;
  if (typeof setting === "number") return { ...DEFAULT_RETRY, attempts: attemptsOf(option, setting) };
  if (typeof setting !== "object" || Array.isArray(setting))
    bad(option, `expected a number or { attempts, maxWait, retryNonIdempotent, baseDelay }, got ${describe(setting)}`);
  for (const k of Object.keys(setting)) {
    if (k !== "attempts" && k !== "maxWait" && k !== "retryNonIdempotent" && k !== "baseDelay")
      bad(`${option}.${k}`, "unknown setting (expected attempts, maxWait, retryNonIdempotent, baseDelay)");
  }
  const s = setting;
  const rni = s.retryNonIdempotent;
  if (rni !== undefined && typeof rni !== "boolean")
    bad(`${option}.retryNonIdempotent`, `expected a boolean, got ${describe(rni)}`);
  return {
    attempts: s.attempts === undefined ? DEFAULT_RETRY.attempts : attemptsOf(`${option}.attempts`, s.attempts),
    maxWaitMs:
      s.maxWait === undefined
        ? DEFAULT_RETRY.maxWaitMs
        : Math.round(seconds(`${option}.maxWait`, s.maxWait, MAX_WAIT_S, false) * 1000),
    retryNonIdempotent: rni === true,
    baseDelayMs:
      s.baseDelay === undefined
        ? DEFAULT_RETRY.baseDelayMs
        : Math.round(seconds(`${option}.baseDelay`, s.baseDelay, 60, true) * 1000),
  };
}

function attemptsOf(option: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n))
    bad(option, `expected a whole number of retries, got ${describe(n)}`);
  if (n < 0 || n > MAX_ATTEMPTS) bad(option, `must be between 0 and ${MAX_ATTEMPTS}, got ${n}`);
  return n;
}

/** Validates a `timeout` setting (seconds, or { connect, read, total }); throws naming the option. */
export function checkTimeout(t: TimeoutSetting | undefined, option = "timeout"): void {
  if (t === undefined || t === null) return;
  if (typeof t === "number") {
    seconds(option, t, MAX_TIMEOUT_S, false);
    return;
  }
  if (typeof t !== "object" || Array.isArray(t))
    bad(option, `expected seconds or { connect, read, total }, got ${describe(t)}`);
  for (const k of Object.keys(t))
    if (k !== "connect" && k !== "read" && k !== "total")
      bad(`${option}.${k}`, "unknown setting (expected connect, read, total)");
  if (t.connect !== undefined) seconds(`${option}.connect`, t.connect, MAX_TIMEOUT_S, false);
  if (t.read !== undefined) seconds(`${option}.read`, t.read, MAX_TIMEOUT_S, false);
  if (t.total !== undefined) seconds(`${option}.total`, t.total, MAX_TIMEOUT_S, false);
}

// ---------------------------------------------------------------------------------------------
// Waiting

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The one wait-and-retry loop, for API calls and for token and revoke requests alike: run
 * `attempt`; `decide` looks at what it gave and at the retries made so far, and answers how
 * many ms to wait before the next attempt, or undefined to stop there; `pause` waits (a sleep,
 * or the shared cool-down) and may reject (an abort), which ends the loop with that rejection.
 * `first` is the first attempt, when the caller has started it already.
 */
export async function retryLoop<T>(
  attempt: () => Promise<T>,
  decide: (value: T, retries: number) => number | undefined,
  pause: (ms: number) => Promise<void> | undefined,
  first: Promise<T> = attempt(),
): Promise<{ value: T; retries: number }> {
  let pending = first;
  for (let retries = 0; ; retries++) {
    const value = await pending;
    const wait = decide(value, retries);
    if (wait === undefined) return { value, retries };
    await pause(wait);
    pending = attempt();
  }
}

/**
 * One cool-down per auth object: a 429 sets the moment the API accepts requests again, and
 * every request of every client on that token (in flight or new) waits for it, behind one
 * timer, instead of each retrying on its own schedule.
 */
export class CoolDown {
  /** Epoch ms before which nothing is sent; 0 when open. */
  #until = 0;
  #gate: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  get until(): number {
    return this.#until;
  }

  /** Pushes the reopening time out to `at` (never pulls it in). */
  extend(at: number): void {
    if (at <= this.#until) return;
    this.#until = at;
    if (this.#timer !== undefined) {
      // re-arm the single timer for the later moment; waiters keep the same gate
      clearTimeout(this.#timer);
      this.#arm();
    }
  }

  /** Waits until the cool-down is over (at once when open); rejects when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#until === 0) return undefined;
    if (Date.now() >= this.#until) {
      this.#until = 0;
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#gate === undefined) {
      this.#gate = new Promise<void>((resolve) => {
        this.#release = resolve;
      });
      this.#arm();
    }
    this.#waiters++;
    const gate = this.#gate;
    if (!signal) return gate.then(() => void this.#waiters--);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        // the last waiter gone: drop the timer so it keeps no process alive; `until` stays,
        // and the next request to wait arms a new one
        if (--this.#waiters === 0 && this.#gate === gate) this.#disarm();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      void gate.then(() => {
        signal.removeEventListener("abort", onAbort);
        this.#waiters--;
        resolve();
      });
    });
  }

  #release: (() => void) | undefined;
  #waiters = 0;

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#gate = undefined;
    this.#release = undefined;
  }

  #arm(): void {
    this.#timer = setTimeout(
      () => {
        const left = this.#until - Date.now();
        if (left > 0) {
          // timers may fire a little early against the wall clock: never release before `until`
          this.#arm();
          return;
        }
        this.#timer = undefined;
        this.#until = 0;
        const release = this.#release;
        this.#gate = undefined;
        this.#release = undefined;
        release?.();
      },
      Math.max(1, this.#until - Date.now()),
    );
  }
}

/**
 * When a 429 says to come back (epoch ms), from X-RateLimit-RetryAfter (epoch seconds; epoch
 * milliseconds and small deltas accepted defensively), else a standard Retry-After.
 */
export function retryAtFrom(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const v = headers["x-ratelimit-retryafter"];
  if (v !== undefined) {
    const n = Number(v.trim());
    if (v.trim() !== "" && Number.isFinite(n) && n >= 0) {
      if (n >= 1e12) return n; // epoch milliseconds
      if (n >= 1e9) return n * 1000; // epoch seconds (the documented form)
      return now + n * 1000; // a delta in seconds
    }
  }
  return retryAfterHeader(headers, now);
}

/** RFC 9110 Retry-After: delay seconds or an HTTP date. */
export function retryAfterHeader(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const ra = headers["retry-after"];
  if (ra === undefined || ra.trim() === "") return undefined;
  const n = Number(ra.trim());
  if (Number.isFinite(n) && n >= 0) return now + n * 1000;
  const d = Date.parse(ra);
  return Number.isFinite(d) ? d : undefined;
}

/** Exponential back-off with full jitter: uniform in [0, min(maxWait, base * 2^(retry-1))). */
export function backoffMs(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxWaitMs, 20_000, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.random() * ceiling);
}

/** How long to wait after a 429, and the moment the API named (if it named one). */
export interface RateLimitWait {
  /** Milliseconds to wait before retrying. */
  readonly waitMs: number;
  /** When the API said to come back (epoch ms), from its headers; undefined when it said nothing usable. */
  readonly retryAt: number | undefined;
}

/**
 * The one rule for "how long after a 429", used by API calls and by the token and revoke
 * requests alike: the API's announced time (X-RateLimit-RetryAfter, else Retry-After) capped
 * at the policy's maxWait; when it named none, or a moment already past, exponential back-off
 * with full jitter for retry number `retry` (1 for the first retry).
 */
export function rateLimitWait(
  headers: Readonly<Record<string, string>>,
  now: number,
  retry: number,
  policy: RetryPolicy,
): RateLimitWait {
  const retryAt = retryAtFrom(headers, now);
  const waitMs =
    retryAt !== undefined && retryAt > now ? Math.min(retryAt - now, policy.maxWaitMs) : backoffMs(retry, policy);
  return { waitMs, retryAt };
}

// ---------------------------------------------------------------------------------------------
// What may be replayed

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * May a request of `op` that may have reached the server be sent again? POSTs that only read
 * carry `readOnly` in the generated table (reviewed in spec/read-only-posts.ts).
 */
export function mayReplay(op: OperationSpec, policy: RetryPolicy): boolean {
  return IDEMPOTENT.has(op.method) || policy.retryNonIdempotent || op.readOnly === true;
}

/** Status codes that mean "try again shortly" (the gateway, not the operation, failed). */
export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}
