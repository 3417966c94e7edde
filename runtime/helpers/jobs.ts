/**
 * What the waiters of runtime/helpers/ share: calling a generated method of the client in
 * object mode (results or typed errors, never dict results), and polling a job until the
 * state its JOB_STATES rule names says it is over.
 */
import { InvalidOption } from "../errors.js";
import type { CallOptions } from "../options.js";
import { JobFailed, outcomeOf, poll, stateOf } from "../poll.js";
import type { Result } from "../results.js";
import { type ServiceClass, untilClosed } from "../service-class.js";

/** How long and how often a waiter polls; every duration in seconds. */
export interface WaitOptions {
  /** Seconds for the whole wait (default: none); then a PollTimeoutError carrying the last result. */
  timeout?: number;
  /** Seconds before the second poll (default 2); later waits back off 1.5x. */
  interval?: number;
  /** Longest wait between polls, seconds (default 30). */
  maxInterval?: number;
  signal?: AbortSignal;
}

/** A generated method called in object mode. */
export type ObjectCall = (args: object, options?: CallOptions<true, boolean>) => Promise<Result<unknown>>;

/**
 * The generated method `name` of `client`, bound and forced into object mode. The helper
 * bases sit below the generated classes, so they reach the generated methods through `this`.
 */
export function objectCall(client: object, name: string): ObjectCall {
  const fn = (client as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new TypeError(`${client.constructor.name} has no method ${name}`);
  return (args, options) => (fn as ObjectCall).call(client, args, { ...options, pythonic: true });
}

/** A field of an API answer as text ("" when it is not a string). */
export const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** A non-empty identifier argument, or InvalidOption naming it. */
export function requireId(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new InvalidOption(name, `expected a non-empty string, got ${value === "" ? '""' : String(value)}`);
  return value;
}

/** A string field the API's answer must carry (an ID to continue with), or JobFailed saying it is missing. */
export function answerField(result: Result<unknown>, value: unknown, what: string): string {
  if (typeof value !== "string" || value === "")
    throw new JobFailed(`${what}: the API's answer has none`, undefined, result);
  return value;
}

/** Seconds left of `timeout` since `started` (a performance.now() value), never 0; undefined without a timeout. */
export function secondsLeft(timeout: number | undefined, started: number): number | undefined {
  return timeout === undefined ? undefined : Math.max(0.001, timeout - (performance.now() - started) / 1000);
}

/** One signal that aborts when any of `signals` does, with its reason (undefined ones ignored). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

/** The body of a Result as a record (empty when it is not an object). */
export function bodyOf(result: Result<unknown>): Record<string, unknown> {
  const b = result.body;
  return b !== null && typeof b === "object" && !ArrayBuffer.isView(b) ? (b as Record<string, unknown>) : {};
}

/** The first resource of a result, or undefined. */
export function firstResource(result: Result<unknown>): Record<string, unknown> | undefined {
  const r = result.resources[0];
  return r !== null && typeof r === "object" ? (r as Record<string, unknown>) : undefined;
}

/**
 * Polls `fetch` until one of the named JOB_STATES rules says the job is over. Success resolves
 * with the last result; a failure state throws JobFailed carrying it; `options.timeout` throws
 * PollTimeoutError; closing `client` throws ClientClosed.
 */
export async function waitForJob(
  client: ServiceClass<boolean>,
  label: string,
  rules: readonly string[],
  fetch: (signal: AbortSignal) => Promise<Result<unknown>>,
  options: WaitOptions & { after?: (last: Result<unknown>) => number | undefined } = {},
): Promise<Result<unknown>> {
  const { JOB_STATES } = await import("../../generated/helper-data.js");
  const table = rules.map((name) => JOB_STATES[name]!);
  const verdict = (r: Result<unknown>): { outcome: "success" | "failure"; state: unknown } | undefined => {
    for (const rule of table) {
      const state = stateOf(r.body, rule.field);
      const outcome = outcomeOf(state, rule);
      if (outcome) return { outcome, state };
    }
    return undefined;
  };
  const last = await poll(fetch, {
    until: (r) => verdict(r) !== undefined,
    interval: options.interval ?? 2,
    maxInterval: options.maxInterval ?? 30,
    timeout: options.timeout,
    // closing the client ends the wait (ClientClosed) and its timer
    signal: untilClosed(client, options.signal),
    after: options.after,
    label,
  });
  const { outcome, state } = verdict(last)!;
  if (outcome === "failure") {
    const resource = firstResource(last);
    const why = [resource?.error_message, resource?.status_msg, ...last.errors.map((e) => e.message)]
      .filter((m) => typeof m === "string" && m !== "")
      .join("; ");
    throw new JobFailed(`${label} ended ${String(state)}${why ? `: ${why}` : ""}`, state, last);
  }
  return last;
}
