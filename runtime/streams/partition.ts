/**
 * One partition's connection: opens the feed at the next offset, frames and parses events,
 * hands them to the feed (waiting while the feed holds `bufferSize` of them, which pauses the
 * socket), refreshes the session before its interval ends, and reconnects after EOF, resets,
 * 5xx and stalls with jittered back-off. A 401/403 gets a fresh session from the stream list.
 */
import { APIError, TimeoutError } from "../errors.js";
import { backoffMs, DEFAULT_RETRY, sleep, type RetryPolicy } from "../retry.js";
import { errorMessage, type StreamApi } from "./api.js";
import { feedUrl, type StreamSession } from "./discovery.js";
import type { StreamEvent, StreamEventMetadata } from "./events.js";
import { LineSplitter } from "./lines.js";
import type { ReconnectInfo, ResolvedReadOptions } from "./options.js";

/** What a partition reader needs from the feed that owns it. */
export interface PartitionHost {
  readonly options: ResolvedReadOptions;
  readonly api: StreamApi;
  /** Aborted when the feed closes or fails. */
  readonly signal: AbortSignal;
  session(partition: number): StreamSession;
  /** A session newer than `stale`, from a new stream list (shared by partitions asking together). */
  renewSession(partition: number, stale: StreamSession): Promise<StreamSession>;
  sessionRefreshed(partition: number, at: number): void;
  deliver(partition: number, events: StreamEvent[]): void;
  /** Resolves when the feed has room for more of this partition's events; undefined when it has room now. */
  room(partition: number): Promise<void> | undefined;
}

/** Consecutive 401/403 answers, each after a fresh session, before the reader gives up. */
const MAX_AUTH_FAILURES = 3;
/** Longest refresh margin: the refresh is sent this long (or a fifth of the interval) before it ends. */
const MAX_REFRESH_MARGIN_MS = 60_000;

export class PartitionReader {
  /** Last offset handed to the feed: the next connection starts after it. */
  #lastQueued: number | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #lastByteAt = 0;
  #connection: AbortController | undefined;
  #refreshing: Promise<void> | undefined;
  readonly #backoff: RetryPolicy;

  constructor(
    readonly partition: number,
    private readonly host: PartitionHost,
  ) {
    this.#lastQueued = host.options.offsets.get(partition);
    this.#backoff = {
      ...DEFAULT_RETRY,
      baseDelayMs: host.options.reconnectMinMs,
      maxWaitMs: host.options.reconnectMaxMs,
    };
  }

  /** Reads until the feed stops it; rejects with an error that retrying cannot fix. */
  async run(): Promise<void> {
    const { signal } = this.host;
    this.scheduleRefresh();
    let failures = 0;
    let authFailures = 0;
    try {
      while (!signal.aborted) {
        const session = this.host.session(this.partition);
        const ended = await this.connect(session);
        if (signal.aborted) return;
        let delayMs: number;
        if (ended.reason === "session") {
          if (++authFailures > MAX_AUTH_FAILURES) {
            throw new APIError(
              ended.status ?? 401,
              `event stream partition ${this.partition}: the feed refused ${MAX_AUTH_FAILURES} fresh session tokens in a row`,
            );
          }
          await this.host.renewSession(this.partition, session);
          this.scheduleRefresh();
          // an expired session: reconnect at once; a session refused again: back off
          delayMs = authFailures === 1 ? 0 : backoffMs(++failures, this.#backoff);
        } else {
          if (ended.progressed) {
            authFailures = 0;
            failures = 0;
          }
          delayMs = backoffMs(++failures, this.#backoff);
        }
        this.report({
          partition: this.partition,
          reason: ended.reason,
          ...(ended.status !== undefined ? { status: ended.status } : {}),
          offset: this.nextOffset(),
          delayMs,
        });
        await sleep(delayMs, signal).catch(() => undefined);
      }
    } finally {
      clearTimeout(this.#refreshTimer);
      clearTimeout(this.#idleTimer);
      await this.#refreshing; // aborted with the feed: wait for it to let go of its request
    }
  }

  /** The offset the next connection asks for: after the last one received, else per `start`. */
  private nextOffset(): number | undefined {
    if (this.#lastQueued !== undefined) return this.#lastQueued + 1;
    return this.host.options.start === "earliest" ? 0 : undefined;
  }

  private report(info: ReconnectInfo): void {
    try {
      this.host.options.onReconnect?.(info);
    } catch {
      // a diagnostic hook must not stop the reader
    }
  }

  /** One connection, until it ends: why, and whether any bytes arrived. */
  private async connect(
    session: StreamSession,
  ): Promise<{ reason: ReconnectInfo["reason"]; status?: number; progressed: boolean }> {
    const conn = new AbortController();
    const stop = (): void => conn.abort(this.host.signal.reason);
    this.host.signal.addEventListener("abort", stop, { once: true });
    this.#connection = conn;
    this.watch();
    let progressed = false;
    try {
      const res = await this.host.api.open(feedUrl(session.dataFeedURL, this.nextOffset()), session.token, conn.signal);
      const status = res.statusCode;
      if (status !== 200) {
        const text = await readText(res.body);
        if (status === 401 || status === 403) return { reason: "session", status, progressed };
        if (status === 408 || status === 429 || status >= 500) return { reason: "status", status, progressed };
        throw new APIError(
          status,
          `event stream partition ${this.partition}: the feed answered ${status}: ${errorMessage(parseJson(text))}`,
        );
      }
      const splitter = new LineSplitter();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        this.#lastByteAt = performance.now();
        progressed = true;
        const batch: StreamEvent[] = [];
        splitter.push(chunk, (line) => {
          const e = this.parse(line);
          // the exactly-once guard: a server that resends what we have is skipped
          if (this.#lastQueued === undefined || e.metadata.offset > this.#lastQueued) {
            batch.push(e);
            this.#lastQueued = e.metadata.offset;
          }
        });
        if (batch.length) this.host.deliver(this.partition, batch);
        const room = this.host.room(this.partition);
        if (room) {
          // paused by the consumer: not a stall
          this.unwatch();
          await room;
          this.watch();
        }
      }
      return { reason: "end", progressed };
    } catch (err) {
      if (err instanceof APIError) throw err;
      if (err instanceof RangeError)
        throw new APIError(200, `event stream partition ${this.partition}: ${err.message}`);
      return { reason: conn.signal.reason instanceof TimeoutError ? "stall" : "error", progressed };
    } finally {
      this.unwatch();
      this.host.signal.removeEventListener("abort", stop);
      this.#connection = undefined;
      conn.abort();
    }
  }

  private parse(line: string): StreamEvent {
    let raw: { metadata?: StreamEventMetadata; event?: unknown } | undefined;
    try {
      raw = JSON.parse(line) as typeof raw;
    } catch {
      raw = undefined;
    }
    const metadata = raw?.metadata;
    const offset = metadata?.offset;
    if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
      throw new APIError(
        200,
        `event stream partition ${this.partition}: the feed sent ${raw ? "an event without a numeric metadata.offset" : "a line that is not JSON"} after offset ${this.#lastQueued ?? "(none)"}`,
      );
    }
    return {
      partition: this.partition,
      eventType: metadata!.eventType,
      metadata: metadata!,
      event: raw!.event ?? {},
    } as StreamEvent;
  }

  // ---- stall watchdog: one timer per partition, re-armed only when it fires early

  private watch(): void {
    this.#lastByteAt = performance.now();
    this.armIdle(this.host.options.idleMs);
  }

  private unwatch(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  private armIdle(ms: number): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      const idle = performance.now() - this.#lastByteAt;
      const left = this.host.options.idleMs - idle;
      if (left > 1) return this.armIdle(left);
      this.#connection?.abort(
        new TimeoutError(`event stream partition ${this.partition}: no data for ${Math.round(idle)} ms`),
      );
    }, ms);
  }

  // ---- session refresh

  /** Refreshes the session a margin before its interval ends (a fifth of it, at most a minute). */
  scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    if (this.host.signal.aborted) return;
    const s = this.host.session(this.partition);
    const interval = s.refreshInterval * 1000;
    const due = s.since + interval - Math.min(MAX_REFRESH_MARGIN_MS, interval / 5);
    this.#refreshTimer = setTimeout(() => this.startRefresh(s), Math.max(0, due - Date.now()));
  }

  private startRefresh(s: StreamSession): void {
    this.#refreshing = this.refresh(s).finally(() => (this.#refreshing = undefined));
  }

  private async refresh(s: StreamSession): Promise<void> {
    const { api, options, signal } = this.host;
    const started = Date.now();
    let ok = false;
    try {
      const r = await api.refresh(options.appId, this.partition, signal);
      ok = r.status_code >= 200 && r.status_code < 300;
    } catch {
      ok = false;
    }
    if (signal.aborted) return;
    if (ok) {
      this.host.sessionRefreshed(this.partition, started);
      this.scheduleRefresh();
      return;
    }
    const left = s.since + s.refreshInterval * 1000 - Date.now();
    if (left > 0) {
      // try again well before the interval ends
      this.#refreshTimer = setTimeout(
        () => this.startRefresh(this.host.session(this.partition)),
        Math.max(250, Math.min(30_000, left / 4)),
      );
      return;
    }
    // the interval is over and the session with it: take a new one (the next connection uses it)
    try {
      await this.host.renewSession(this.partition, s);
      this.scheduleRefresh();
    } catch {
      if (!signal.aborted)
        this.#refreshTimer = setTimeout(() => this.startRefresh(this.host.session(this.partition)), 30_000);
    }
  }
}

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    if (size < 65_536) parts.push(Buffer.from(c));
    size += c.length;
  }
  return Buffer.concat(parts).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: text.slice(0, 200) }] };
  }
}
