/**
 * The Streaming API as a stateful mock flow (the "event-streams" scenario): stream list, session
 * refresh, and the long-lived feed of newline-delimited JSON events over several partitions,
 * with the behaviours a reader must survive switchable from a test.
 *
 *   const streams = mock.scenario("event-streams", { partitions: 2, events: 100 }).flow;
 *   streams.publish(0, 10);                 // more events, delivered live to open feeds
 *   streams.drop({ partition: 0, afterEvents: 5 }); streams.stall({ afterEvents: 5 });
 *   streams.expireSessions(); streams.failFeed(503); streams.denyScope();
 *   streams.refreshes / streams.connections / streams.lists / streams.openFeeds   // what happened
 *
 * The list (GET /sensors/entities/datafeed/v2) and refresh (POST
 * /sensors/entities/datafeed-actions/v1/{partition}) are spec operations: the mock checks their
 * bearer token and parameters before `answer()` sees them. The feed, GET
 * /sensors/entities/datafeed/v1/{partition}?appId=..&offset=N with `Authorization: Token`, is a
 * route outside the spec (`route()`), streamed as the events exist: heartbeat blank lines while
 * idle, the socket's backpressure pausing the generator, a drop thrown (the connection is cut),
 * a stall a wait without output, the session's end an EOF.
 * A session lives `sessionLifetime` seconds from its list or last refresh; an expired session
 * ends its open feeds (EOF) and gets 401 on the next connection. Without `offset` a feed starts
 * at the live end; `offset=N` sends events from N on.
 */
import { randomBytes } from "node:crypto";
import type { FlowContext, FlowReply, FlowRequest, MockFlow, RawFlowRequest } from "../flows.js";
import { errorAnswer, okAnswer } from "./flow.js";

export interface StreamFlowOptions {
  /** Number of partitions (default 2). */
  readonly partitions?: number;
  /** Events each partition holds at the start (default 0). */
  readonly events?: number;
  /** refreshActiveSessionInterval, seconds (default 1800). */
  readonly refreshInterval?: number;
  /** Seconds a session lives after its list or refresh (default: refreshInterval). */
  readonly sessionLifetime?: number;
  /** Seconds between heartbeat blank lines on an idle feed (default 1). */
  readonly heartbeat?: number;
  readonly customerId?: string;
  /** appIds the list accepts (default: 1-32 letters, digits, `-` or `_`); others get 400. */
  readonly validAppId?: (appId: string) => boolean;
}

/** An event to publish: its type and payload (metadata is filled in). */
export interface PublishedEvent {
  readonly eventType: string;
  readonly event: Record<string, unknown>;
}

export interface FeedConnection {
  readonly partition: number;
  readonly offset: number | undefined;
  readonly status: number;
  readonly at: number;
}

interface Session {
  readonly appId: string;
  readonly partition: number;
  expiresAt: number;
}

interface ConnectionFault {
  readonly kind: "drop" | "stall";
  readonly partition: number | undefined;
  readonly afterEvents: number;
  /** drop: cut the connection in the middle of the next line instead of between lines. */
  readonly midLine: boolean;
  remaining: number;
}

interface OpenFeed {
  readonly partition: number;
  readonly signal: AbortSignal;
  readonly generation: number;
  cursor: number;
  written: number;
  fault: { kind: "drop" | "stall"; at: number; midLine: boolean } | undefined;
  wake: (() => void) | undefined;
}

const EVENT_TYPES = [
  "DetectionSummaryEvent",
  "AuthActivityAuditEvent",
  "UserActivityAuditEvent",
  "IncidentSummaryEvent",
  "RemoteResponseSessionStartEvent",
  "CustomerIOCEvent",
];
const BATCH = 256;
const FEED_PATH = /^\/sensors\/entities\/datafeed\/v1\/(\d+)$/;

/** Thrown inside a feed's body: the server cuts the connection. */
class Dropped extends Error {}

export class StreamFlow implements MockFlow {
  readonly name = "event-streams";
  readonly operations = ["listAvailableStreamsOAuth2", "refreshActiveStreamSession"];
  readonly refreshInterval: number;
  readonly sessionLifetime: number;
  readonly customerId: string;
  /** Events per partition: offsets 0 .. count-1. */
  readonly counts: number[];
  /** Every refresh request accepted or refused. */
  readonly refreshes: { partition: number; appId: string; at: number; status: number }[] = [];
  readonly connections: FeedConnection[] = [];
  /** Events written to feeds so far, per partition (resent events count again). */
  readonly sent: number[];
  lists = 0;
  readonly #published = new Map<string, PublishedEvent>();
  readonly #sessions = new Map<string, Session>();
  readonly #open = new Set<OpenFeed>();
  readonly #faults: ConnectionFault[] = [];
  readonly #feedFailures: { status: number; partition: number | undefined; remaining: number }[] = [];
  readonly #heartbeatMs: number;
  readonly #validAppId: (appId: string) => boolean;
  readonly #initial: { partitions: number; events: number };
  #scopeDenied = false;
  #closed = false;
  /** Bumped by reset(): feeds opened before it are cut. */
  #generation = 0;

  constructor(options: StreamFlowOptions = {}) {
    this.#initial = { partitions: options.partitions ?? 2, events: options.events ?? 0 };
    this.counts = Array.from({ length: this.#initial.partitions }, () => this.#initial.events);
    this.sent = this.counts.map(() => 0);
    this.refreshInterval = options.refreshInterval ?? 1800;
    this.sessionLifetime = options.sessionLifetime ?? this.refreshInterval;
    this.customerId = options.customerId ?? "0123456789abcdef0123456789abcdef";
    this.#heartbeatMs = (options.heartbeat ?? 1) * 1000;
    this.#validAppId = options.validAppId ?? ((a) => /^[A-Za-z0-9_-]{1,32}$/.test(a));
  }

  /** Feed connections open now. */
  get openFeeds(): number {
    return this.#open.size;
  }

  // ---- switches

  /** Appends `n` generated events (or the given ones) to a partition; open feeds send them at once. */
  publish(partition: number, events: number | readonly PublishedEvent[]): void {
    this.partition(partition);
    const list = typeof events === "number" ? undefined : events;
    const n = list ? list.length : (events as number);
    list?.forEach((e, i) => this.#published.set(`${partition}:${this.counts[partition]! + i}`, e));
    this.counts[partition]! += n;
    this.wakeAll(partition);
  }

  /** The next `times` feed connections (of `partition`, or any) are cut after `afterEvents` more events. */
  drop(options: { partition?: number; afterEvents?: number; times?: number; midLine?: boolean } = {}): void {
    this.#faults.push({
      kind: "drop",
      partition: options.partition,
      afterEvents: options.afterEvents ?? 0,
      midLine: options.midLine ?? false,
      remaining: options.times ?? 1,
    });
    this.wakeAll(options.partition);
  }

  /** The next `times` feed connections go silent (no events, no heartbeats) after `afterEvents` more events. */
  stall(options: { partition?: number; afterEvents?: number; times?: number } = {}): void {
    this.#faults.push({
      kind: "stall",
      partition: options.partition,
      afterEvents: options.afterEvents ?? 0,
      midLine: false,
      remaining: options.times ?? 1,
    });
    this.wakeAll(options.partition);
  }

  /** Ends the sessions (of `partition`, or all): open feeds end, the next connection gets 401. */
  expireSessions(partition?: number): void {
    const now = Date.now();
    for (const s of this.#sessions.values())
      if (partition === undefined || s.partition === partition) s.expiresAt = Math.min(s.expiresAt, now - 1);
    this.wakeAll(partition);
  }

  /** The next `times` feed connections answer `status` (e.g. 503) instead of streaming. */
  failFeed(status: number, options: { partition?: number; times?: number } = {}): void {
    this.#feedFailures.push({ status, partition: options.partition, remaining: options.times ?? 1 });
  }

  /** The list answers 403 (the API client lacks the "Event streams: read" scope) until turned off. */
  denyScope(denied = true): void {
    this.#scopeDenied = denied;
  }

  /** Turns off every pending drop, stall, feed failure and scope denial. */
  clearSwitches(): void {
    this.#faults.length = 0;
    this.#feedFailures.length = 0;
    this.#scopeDenied = false;
  }

  /** Back to the first state: the initial events, no sessions, switches or observations; open feeds are cut. */
  reset(): void {
    this.#generation++; // open feeds are cut on their next turn
    this.wakeAll(undefined);
    this.counts.fill(this.#initial.events);
    this.sent.fill(0);
    this.refreshes.length = 0;
    this.connections.length = 0;
    this.lists = 0;
    this.#published.clear();
    this.#sessions.clear();
    this.clearSwitches();
  }

  close(): void {
    this.#closed = true;
    this.wakeAll(undefined);
  }

  // ---- requests

  answer(request: FlowRequest, context: FlowContext): FlowReply {
    const appId = String(request.query.appId ?? "");
    if (request.operationId === "listAvailableStreamsOAuth2") return this.list(appId, context.url);
    return this.refresh(appId, Number(request.path.partition));
  }

  route(request: RawFlowRequest): FlowReply | undefined {
    const feed = FEED_PATH.exec(request.url.pathname);
    if (!feed || request.method !== "GET") return undefined;
    return this.feed(request, Number(feed[1]));
  }

  private list(appId: string, origin: string): FlowReply {
    this.lists++;
    if (this.#scopeDenied) return errorAnswer(403, "access denied, authorization failed");
    if (!this.#validAppId(appId)) return errorAnswer(400, `invalid appId ${JSON.stringify(appId)}`);
    const now = Date.now();
    const resources = this.counts.map((_, partition) => {
      const token = `strm_${partition}_${randomBytes(12).toString("hex")}`;
      const expiresAt = now + this.sessionLifetime * 1000;
      this.#sessions.set(token, { appId, partition, expiresAt });
      const q = `appId=${encodeURIComponent(appId)}`;
      return {
        dataFeedURL: `${origin}/sensors/entities/datafeed/v1/${partition}?${q}`,
        sessionToken: { token, expiration: new Date(expiresAt).toISOString() },
        refreshActiveSessionURL: `${origin}/sensors/entities/datafeed-actions/v1/${partition}?${q}&action_name=refresh_active_stream_session`,
        refreshActiveSessionInterval: this.refreshInterval,
      };
    });
    return okAnswer(200, resources);
  }

  private refresh(appId: string, partition: number): FlowReply {
    const answer = (status: number, message?: string): FlowReply => {
      this.refreshes.push({ partition, appId, at: Date.now(), status });
      return message ? errorAnswer(status, message) : okAnswer(status, []);
    };
    const now = Date.now();
    let live = 0;
    for (const s of this.#sessions.values()) {
      if (s.appId === appId && s.partition === partition && s.expiresAt > now) {
        s.expiresAt = now + this.sessionLifetime * 1000;
        live++;
      }
    }
    if (live === 0) return answer(404, `no active stream session for appId ${appId} partition ${partition}`);
    return answer(200);
  }

  private feed(request: RawFlowRequest, partition: number): FlowReply {
    const raw = request.url.searchParams.get("offset");
    const offset = raw === null ? undefined : Number(raw);
    const refuse = (status: number, message: string): FlowReply => {
      this.connections.push({ partition, offset, status, at: Date.now() });
      return errorAnswer(status, message);
    };
    const m = /^token\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const session = m ? this.#sessions.get(m[1]!) : undefined;
    if (partition >= this.counts.length) return refuse(404, `no partition ${partition}`);
    if (!session || session.partition !== partition || session.expiresAt <= Date.now()) {
      return refuse(401, "access denied, invalid or expired session token");
    }
    if (offset !== undefined && (!Number.isSafeInteger(offset) || offset < 0))
      return refuse(400, `invalid offset ${raw}`);
    const failure = this.#feedFailures.find(
      (f) => f.remaining > 0 && (f.partition === undefined || f.partition === partition),
    );
    if (failure) {
      failure.remaining--;
      return refuse(failure.status, "stream service unavailable");
    }
    this.connections.push({ partition, offset, status: 200, at: Date.now() });
    const feed: OpenFeed = {
      partition,
      signal: request.signal,
      generation: this.#generation,
      cursor: offset ?? this.counts[partition]!,
      written: 0,
      fault: undefined,
      wake: undefined,
    };
    this.#open.add(feed);
    const leave = (): void => {
      this.#open.delete(feed);
      feed.wake?.();
    };
    request.signal.addEventListener("abort", leave, { once: true });
    return { status: 200, contentType: "application/json", body: this.serve(feed, session, leave) };
  }

  /** Yields events as they exist, heartbeats while idle, until the client leaves, a fault fires or the session ends. */
  private async *serve(feed: OpenFeed, session: Session, leave: () => void): AsyncGenerator<string> {
    const { partition, signal } = feed;
    try {
      while (!signal.aborted) {
        if (this.#closed || feed.generation !== this.#generation) throw new Dropped("the flow closed or was reset");
        if (session.expiresAt <= Date.now()) return;
        feed.fault ??= this.takeFault(feed);
        const fault = feed.fault;
        if (fault?.kind === "stall" && feed.written >= fault.at) {
          await this.idle(feed, Number.POSITIVE_INFINITY); // silent until the client gives up
          continue;
        }
        const count = this.counts[partition]!;
        if (feed.cursor >= count) {
          if (await this.idle(feed, this.#heartbeatMs)) yield "\n";
          continue;
        }
        let n = Math.min(BATCH, count - feed.cursor);
        if (fault) n = Math.min(n, Math.max(0, fault.at - feed.written));
        if (fault?.kind === "drop" && n === 0) {
          if (fault.midLine) {
            const line = this.line(partition, feed.cursor);
            yield line.slice(0, line.length >> 1);
          }
          // let the bytes go out before the reset
          await new Promise((r) => setTimeout(r, 5));
          throw new Dropped("dropped");
        }
        let text = "";
        for (let i = 0; i < n; i++) text += this.line(partition, feed.cursor + i) + (i % 50 === 49 ? "\n\n" : "\n");
        feed.cursor += n;
        feed.written += n;
        this.sent[partition]! += n;
        // the server writes it and waits for the socket to drain before asking for more
        yield text;
      }
    } finally {
      leave();
    }
  }

  private takeFault(feed: OpenFeed): OpenFeed["fault"] {
    const f = this.#faults.find(
      (x) => x.remaining > 0 && (x.partition === undefined || x.partition === feed.partition),
    );
    if (!f) return undefined;
    f.remaining--;
    return { kind: f.kind, at: feed.written + f.afterEvents, midLine: f.midLine };
  }

  /** Waits for new events, a switch, close, the client leaving, or `ms`; true when the time ran out. */
  private idle(feed: OpenFeed, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (feed.signal.aborted) return resolve(false);
      const timer = Number.isFinite(ms) ? setTimeout(() => done(true), ms) : undefined;
      const done = (timedOut: boolean): void => {
        clearTimeout(timer);
        feed.wake = undefined;
        resolve(timedOut);
      };
      feed.wake = () => done(false);
    });
  }

  private wakeAll(partition: number | undefined): void {
    for (const f of this.#open) if (partition === undefined || f.partition === partition) f.wake?.();
  }

  private partition(p: number): void {
    if (!Number.isInteger(p) || p < 0 || p >= this.counts.length)
      throw new RangeError(`the flow has partitions 0..${this.counts.length - 1}, not ${p}`);
  }

  /** The event at `offset`, one JSON line (without the newline). */
  line(partition: number, offset: number): string {
    const published = this.#published.get(`${partition}:${offset}`);
    const eventType = published?.eventType ?? EVENT_TYPES[offset % EVENT_TYPES.length]!;
    const metadata = `{"customerIDString":"${this.customerId}","offset":${offset},"eventType":"${eventType}","eventCreationTime":${1_700_000_000_000 + offset},"version":"1.0"}`;
    const event = published ? JSON.stringify(published.event) : generated(eventType, partition, offset);
    return `{"metadata":${metadata},"event":${event}}`;
  }
}

function generated(eventType: string, partition: number, offset: number): string {
  switch (eventType) {
    case "DetectionSummaryEvent":
      return `{"DetectId":"ldt:${partition}:${offset}","DetectName":"Suspicious Activity","ComputerName":"host-${offset % 97}","Severity":${(offset % 5) + 1},"SeverityName":"Medium","Tactic":"Execution","Technique":"Command-Line Interface","CommandLine":"cmd.exe /c whoami","ProcessStartTime":${1_700_000_000 + offset}}`;
    case "IncidentSummaryEvent":
      return `{"IncidentStartTime":${1_700_000_000 + offset},"IncidentEndTime":${1_700_000_060 + offset},"FineScore":${offset % 100},"LateralMovement":0,"State":"open","FalconHostLink":"https://falcon.crowdstrike.com/crowdscore/incidents/details/inc:${partition}:${offset}"}`;
    case "RemoteResponseSessionStartEvent":
      return `{"SessionId":"${partition}-${offset}","HostnameField":"host-${offset % 97}","UserName":"analyst@example.com","StartTimestamp":${1_700_000_000 + offset}}`;
    case "CustomerIOCEvent":
      return `{"IOCType":"sha256","IOCValue":"${offset.toString(16).padStart(64, "0")}","ComputerName":"host-${offset % 97}"}`;
    default:
      return `{"UserId":"user${offset % 13}@example.com","UserIp":"192.0.2.${offset % 250}","OperationName":"activateUser","ServiceName":"CrowdStrike Authentication","Success":true,"UTCTimestamp":${1_700_000_000 + offset}}`;
  }
}
