/**
 * The reader's options as the caller gives them (seconds, plain objects) and as the reader uses
 * them (milliseconds, checked). Bad values are an InvalidOption naming the option, thrown by
 * `read()` before anything is sent.
 */
import { InvalidOption } from "../errors.js";

/** Last offset processed, per partition: what `offsets()` returns and `offsets` takes. */
export type StreamOffsets = Record<number, number>;

export interface CheckpointOptions {
  /** Call `onCheckpoint` after at most this many events (default: no count limit). */
  every?: number;
  /** Call `onCheckpoint` at most this many seconds after the first unsaved event (default 5 when `every` is unset). */
  seconds?: number;
  /** Persist the offsets; the reader waits for it before yielding the next event. */
  onCheckpoint: (offsets: StreamOffsets) => void | Promise<void>;
}

/** Why and when a partition reconnects (the `onReconnect` hook). */
export interface ReconnectInfo {
  readonly partition: number;
  /**
   * "end": the feed closed (EOF); "error": reset or refused connection; "stall": no byte for
   * `idleTimeout`; "status": a 408/429/5xx answer; "session": a 401/403 (a new session was fetched).
   */
  readonly reason: "end" | "error" | "stall" | "status" | "session";
  readonly status?: number;
  /** The offset the next connection asks for (undefined: the live end). */
  readonly offset: number | undefined;
  /** Milliseconds until it reconnects. */
  readonly delayMs: number;
}

export interface ReadOptions {
  /**
   * The consumer's application ID. Falcon keeps one stream session per appId and partition:
   * every process reading at the same time needs its own appId (a second reader with the same
   * appId takes over the session of the first).
   */
  appId: string;
  /** Partitions to read (default: every partition the list offers). */
  partitions?: readonly number[];
  /** Last offset processed per partition: reading resumes at offset + 1. */
  offsets?: Readonly<StreamOffsets>;
  /**
   * Where a partition without a saved offset starts: its oldest retained event (default:
   * `offset=0`) or new events only (the feed URL without `offset`, the API's live end).
   */
  start?: "earliest" | "latest";
  /** Seconds without a byte (heartbeats count) before a connection is treated as stalled (default 90). */
  idleTimeout?: number;
  /** Reconnect back-off, seconds: first step and ceiling (full jitter; defaults 0.5 and 20, the SDK's back-off ceiling). */
  reconnectDelay?: { min?: number; max?: number };
  /** Events held per partition before its connection is paused (default 1000). */
  bufferSize?: number;
  checkpoint?: CheckpointOptions;
  /** Told before each reconnection (logging, metrics); what it throws is ignored. */
  onReconnect?: (info: ReconnectInfo) => void;
  /** Aborting ends the iteration (it throws the signal's reason) and closes every connection. */
  signal?: AbortSignal;
}

export interface ResolvedReadOptions {
  readonly appId: string;
  readonly partitions: readonly number[] | undefined;
  readonly offsets: ReadonlyMap<number, number>;
  readonly start: "earliest" | "latest";
  readonly idleMs: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  readonly bufferSize: number;
  readonly checkpoint:
    | { readonly every: number; readonly ms: number; readonly onCheckpoint: CheckpointOptions["onCheckpoint"] }
    | undefined;
  readonly onReconnect: ((info: ReconnectInfo) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
/** Ceiling of runtime/retry.ts's backoffMs, which the reconnect back-off uses. */
const MAX_BACKOFF_S = 20;
/** A day: longer durations are a unit mistake (milliseconds given as seconds). */
const MAX_SECONDS = 86_400;

function seconds(option: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback * 1000;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > MAX_SECONDS) {
    throw new InvalidOption(option, `expected seconds, a number > 0 and <= ${MAX_SECONDS}, got ${describe(v)}`);
  }
  return Math.round(v * 1000);
}

function count(option: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1)
    throw new InvalidOption(option, `expected an integer >= 1, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

const KNOWN = new Set([
  "appId",
  "partitions",
  "offsets",
  "start",
  "idleTimeout",
  "reconnectDelay",
  "bufferSize",
  "checkpoint",
  "onReconnect",
  "signal",
]);

export function resolveReadOptions(options: ReadOptions): ResolvedReadOptions {
  if (!isPlainObject(options)) throw new InvalidOption("read", `expected an options object, got ${describe(options)}`);
  for (const k of Object.keys(options))
    if (!KNOWN.has(k)) throw new InvalidOption(k, `unknown option (read takes ${[...KNOWN].join(", ")})`);
  const { appId } = options;
  if (typeof appId !== "string" || appId.trim() === "" || /[\s\u0000-\u001f]/.test(appId)) {
    throw new InvalidOption("appId", `expected a non-empty string without spaces, got ${describe(appId)}`);
  }
  let partitions: number[] | undefined;
  if (options.partitions !== undefined) {
    if (!Array.isArray(options.partitions) || options.partitions.length === 0 || !options.partitions.every(isIndex)) {
      throw new InvalidOption(
        "partitions",
        `expected a non-empty array of partition numbers (integers >= 0), got ${describe(options.partitions)}`,
      );
    }
    partitions = [...new Set(options.partitions)];
  }
  const offsets = new Map<number, number>();
  if (options.offsets !== undefined) {
    if (!isPlainObject(options.offsets))
      throw new InvalidOption("offsets", `expected { [partition]: offset }, got ${describe(options.offsets)}`);
    for (const [k, v] of Object.entries(options.offsets)) {
      const p = Number(k);
      if (!/^\d+$/.test(k) || !isIndex(p))
        throw new InvalidOption("offsets", `partition keys are integers >= 0, got ${describe(k)}`);
      if (!isIndex(v))
        throw new InvalidOption(
          `offsets.${k}`,
          `expected the last processed offset, an integer >= 0, got ${describe(v)}`,
        );
      offsets.set(p, v);
    }
  }
  const start = options.start ?? "earliest";
  if (start !== "earliest" && start !== "latest")
    throw new InvalidOption("start", `expected "earliest" or "latest", got ${describe(start)}`);
  const delay = options.reconnectDelay ?? {};
  if (!isPlainObject(delay))
    throw new InvalidOption("reconnectDelay", `expected { min?, max? } in seconds, got ${describe(delay)}`);
  const reconnectMinMs = seconds("reconnectDelay.min", delay.min, 0.5);
  const reconnectMaxMs = seconds("reconnectDelay.max", delay.max, MAX_BACKOFF_S);
  if (reconnectMaxMs > MAX_BACKOFF_S * 1000)
    throw new InvalidOption("reconnectDelay.max", `at most ${MAX_BACKOFF_S} seconds (the SDK's back-off ceiling)`);
  if (reconnectMaxMs < reconnectMinMs) throw new InvalidOption("reconnectDelay", "max is smaller than min");
  let checkpoint: ResolvedReadOptions["checkpoint"];
  if (options.checkpoint !== undefined) {
    const c = options.checkpoint;
    if (!isPlainObject(c) || typeof c.onCheckpoint !== "function")
      throw new InvalidOption("checkpoint", "expected { every?, seconds?, onCheckpoint(offsets) }");
    const every = count("checkpoint.every", c.every, Number.POSITIVE_INFINITY);
    const ms = seconds("checkpoint.seconds", c.seconds, c.every === undefined ? 5 : MAX_SECONDS);
    checkpoint = { every, ms, onCheckpoint: c.onCheckpoint };
  }
  if (options.onReconnect !== undefined && typeof options.onReconnect !== "function")
    throw new InvalidOption("onReconnect", `expected a function, got ${describe(options.onReconnect)}`);
  const signal = options.signal;
  if (
    signal !== undefined &&
    !(
      typeof signal === "object" &&
      signal !== null &&
      typeof (signal as AbortSignal).addEventListener === "function" &&
      "aborted" in signal
    )
  ) {
    throw new InvalidOption("signal", `expected an AbortSignal, got ${describe(signal)}`);
  }
  return {
    appId,
    partitions,
    offsets,
    start,
    idleMs: seconds("idleTimeout", options.idleTimeout, 90),
    reconnectMinMs,
    reconnectMaxMs,
    bufferSize: count("bufferSize", options.bufferSize, 1000),
    checkpoint,
    onReconnect: options.onReconnect,
    signal,
  };
}
