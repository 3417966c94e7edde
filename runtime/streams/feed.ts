/**
 * EventFeed: what `EventStreams.read()` returns. Merges the partitions' events into one async
 * iteration (each partition in offset order), bounds what it holds per partition (a slow
 * consumer pauses the sockets), tracks the last offset delivered per partition, calls the
 * checkpoint hook, and ends every connection and timer on close(), abort or a fatal error.
 *
 * Delivery: exactly once, in offset order per partition, within one feed (reconnects resume at
 * the last offset received + 1 and drop anything at or below it); at least once across process
 * restarts that pass the saved `offsets()` back in (events after the last checkpoint come again).
 */
import { APIError, InvalidOption } from "../errors.js";
import { backoffMs, DEFAULT_RETRY, sleep } from "../retry.js";
import { errorMessage, type StreamApi } from "./api.js";
import { parseStreams, type StreamSession } from "./discovery.js";
import type { StreamEvent } from "./events.js";
import type { ResolvedReadOptions, StreamOffsets } from "./options.js";
import { PartitionReader, type PartitionHost } from "./partition.js";

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** List answers worth asking again: throttling, gateway errors, and dict mode's 500 for network failures. */
const isTransientStatus = (s: number): boolean => s === 408 || s === 429 || s >= 500;

export class EventFeed implements AsyncIterableIterator<StreamEvent>, PartitionHost {
  readonly options: ResolvedReadOptions;
  readonly api: StreamApi;
  readonly #stop = new AbortController();
  readonly #sessions = new Map<number, StreamSession>();
  readonly #readers = new Map<number, PartitionReader>();
  readonly #tasks: Promise<void>[] = [];
  #listing: Promise<void> | undefined;

  // what the consumer has not taken yet, oldest first (a queue with a moving head)
  #buffer: StreamEvent[] = [];
  #head = 0;
  readonly #held = new Map<number, number>();
  readonly #roomWaiters = new Map<number, () => void>();
  #wakeConsumer: (() => void) | undefined;

  readonly #delivered = new Map<number, number>();
  #unsaved = 0;
  #unsavedSince = 0;

  #started = false;
  #failure: { error: unknown } | undefined;
  #closing: Promise<void> | undefined;
  readonly #onAbort = (): void => void this.close();

  constructor(api: StreamApi, options: ResolvedReadOptions) {
    this.api = api;
    this.options = options;
    for (const [p, o] of options.offsets) this.#delivered.set(p, o);
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  /** Last offset delivered per partition (starting from the saved `offsets`): persist it to resume. */
  offsets(): StreamOffsets {
    return Object.fromEntries(this.#delivered) as StreamOffsets;
  }

  /** Partitions being read (known once the stream list has been read). */
  partitions(): number[] {
    return [...this.#readers.keys()];
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent, undefined>> {
    for (;;) {
      if (this.options.signal?.aborted) {
        await this.close();
        throw this.options.signal.reason;
      }
      if (this.#closing) return { value: undefined, done: true };
      // every event handed out before this call has been processed
      await this.checkpointIfDue();
      if (this.#head < this.#buffer.length) return { value: this.take(), done: false };
      if (this.#failure) {
        const { error } = this.#failure;
        await this.close();
        throw error;
      }
      this.start();
      await this.waitForEvents();
    }
  }

  async return(): Promise<IteratorResult<StreamEvent, undefined>> {
    await this.close();
    return { value: undefined, done: true };
  }

  /** Ends every connection and timer; resolves when they are gone, after a last checkpoint of what was delivered. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.options.signal?.removeEventListener("abort", this.#onAbort);
      this.#stop.abort();
      this.wake();
      for (const resolve of this.#roomWaiters.values()) resolve();
      this.#roomWaiters.clear();
      while (this.#tasks.length) await Promise.allSettled(this.#tasks.splice(0));
      this.#buffer = [];
      this.#head = 0;
      if (this.#unsaved > 0 && this.options.checkpoint) await this.saveCheckpoint();
    })();
    return this.#closing;
  }

  [asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- PartitionHost

  session(partition: number): StreamSession {
    return this.#sessions.get(partition)!;
  }

  async renewSession(partition: number, stale: StreamSession): Promise<StreamSession> {
    if (this.#sessions.get(partition) === stale) {
      this.#listing ??= this.listStreams()
        .then((offered) => {
          for (const [p, s] of offered) if (this.#readers.has(p)) this.#sessions.set(p, s);
        })
        .finally(() => (this.#listing = undefined));
      await this.#listing;
    }
    const s = this.#sessions.get(partition)!;
    if (s === stale)
      throw new APIError(
        200,
        `listAvailableStreamsOAuth2 (appId ${this.options.appId}) no longer offers partition ${partition}`,
      );
    return s;
  }

  sessionRefreshed(partition: number, at: number): void {
    const s = this.#sessions.get(partition);
    if (s) this.#sessions.set(partition, { ...s, since: at });
  }

  deliver(partition: number, events: StreamEvent[]): void {
    if (this.#closing || this.#failure) return;
    for (const e of events) this.#buffer.push(e);
    this.#held.set(partition, (this.#held.get(partition) ?? 0) + events.length);
    this.wake();
  }

  room(partition: number): Promise<void> | undefined {
    if (this.#stop.signal.aborted || (this.#held.get(partition) ?? 0) < this.options.bufferSize) return undefined;
    return new Promise<void>((resolve) => this.#roomWaiters.set(partition, resolve));
  }

  // ---- internals

  private start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#tasks.push(this.open().catch((err: unknown) => this.fail(err)));
  }

  /** Reads the stream list and starts one reader per selected partition. */
  private async open(): Promise<void> {
    const offered = await this.listStreams();
    const wanted = this.options.partitions ?? [...offered.keys()].sort((a, b) => a - b);
    if (offered.size === 0)
      throw new APIError(200, `listAvailableStreamsOAuth2 offered no event stream for appId ${this.options.appId}`);
    const missing = wanted.filter((p) => !offered.has(p));
    if (missing.length) {
      throw new InvalidOption(
        "partitions",
        `partition ${missing.join(", ")} is not offered for appId ${this.options.appId} (offered: ${[...offered.keys()].sort((a, b) => a - b).join(", ")})`,
      );
    }
    if (this.#stop.signal.aborted) return;
    for (const p of wanted) {
      this.#sessions.set(p, offered.get(p)!);
      const reader = new PartitionReader(p, this);
      this.#readers.set(p, reader);
      this.#tasks.push(reader.run().catch((err: unknown) => this.fail(err)));
    }
  }

  /** The stream list; throttling and transient failures are retried with back-off, other answers end the feed. */
  private async listStreams(): Promise<Map<number, StreamSession>> {
    const policy = {
      ...DEFAULT_RETRY,
      baseDelayMs: this.options.reconnectMinMs,
      maxWaitMs: this.options.reconnectMaxMs,
    };
    for (let attempt = 1; ; attempt++) {
      const r = await this.api.list(this.options.appId, this.#stop.signal);
      if (r.status_code >= 200 && r.status_code < 300) return parseStreams(r.body, Date.now());
      if (!isTransientStatus(r.status_code)) {
        throw new APIError(
          r.status_code,
          `listAvailableStreamsOAuth2 (appId ${this.options.appId}) answered ${r.status_code}: ${errorMessage(r.body)}`,
          r.body,
          r.headers,
        );
      }
      await sleep(backoffMs(attempt, policy), this.#stop.signal);
    }
  }

  private fail(err: unknown): void {
    if (this.#stop.signal.aborted) return; // closing: readers end with the abort
    this.#failure ??= { error: err };
    this.#stop.abort();
    for (const resolve of this.#roomWaiters.values()) resolve();
    this.#roomWaiters.clear();
    this.wake();
  }

  private take(): StreamEvent {
    const e = this.#buffer[this.#head++]!;
    if (this.#head > 4096 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    const p = e.partition;
    const held = this.#held.get(p)! - 1;
    this.#held.set(p, held);
    if (held <= this.options.bufferSize >> 1) {
      const resolve = this.#roomWaiters.get(p);
      if (resolve) {
        this.#roomWaiters.delete(p);
        resolve();
      }
    }
    this.#delivered.set(p, e.metadata.offset);
    if (this.#unsaved++ === 0) this.#unsavedSince = Date.now();
    return e;
  }

  private wake(): void {
    const w = this.#wakeConsumer;
    this.#wakeConsumer = undefined;
    w?.();
  }

  /** Waits for events, a failure or close; wakes early when an unsaved checkpoint falls due. */
  private async waitForEvents(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#wakeConsumer = resolve;
      const c = this.options.checkpoint;
      if (c && this.#unsaved > 0) timer = setTimeout(resolve, Math.max(0, this.#unsavedSince + c.ms - Date.now()));
    });
    clearTimeout(timer);
    this.#wakeConsumer = undefined;
  }

  private async checkpointIfDue(): Promise<void> {
    const c = this.options.checkpoint;
    if (!c || this.#unsaved === 0) return;
    if (this.#unsaved >= c.every || Date.now() - this.#unsavedSince >= c.ms) await this.saveCheckpoint();
  }

  private async saveCheckpoint(): Promise<void> {
    this.#unsaved = 0;
    await this.options.checkpoint!.onCheckpoint(this.offsets());
  }
}
