/**
 * The Streaming API as a stateful mock flow: stream list, session refresh, and the long-lived
 * feed of newline-delimited JSON events over several partitions, with the behaviours a reader
 * must survive switchable from a test.
 *
 * Interface (small on purpose, so it can be mounted on any request router):
 *   const flow = new StreamFlow({ partitions: 2, events: 100 });
 *   mock.useFlow(flow);                     // mock/flows/flow.ts: the flow interface
 *   flow.publish(0, 10);                    // more events, delivered live to open feeds
 *   flow.drop({ partition: 0, afterEvents: 5 }); flow.stall({ afterEvents: 5 });
 *   flow.expireSessions(); flow.failFeed(503); flow.denyScope();
 *   flow.refreshes / flow.connections / flow.lists / flow.openFeeds   // what happened
 *
 * Routes: GET /sensors/entities/datafeed/v2 (list, bearer), POST
 * /sensors/entities/datafeed-actions/v1/{partition} (refresh, bearer), GET
 * /sensors/entities/datafeed/v1/{partition}?appId=..&offset=N (feed, `Authorization: Token`).
 * A session lives `sessionLifetime` seconds from its list or last refresh; an expired session
 * ends its open feeds (EOF) and gets 401 on the next connection. Without `offset` a feed starts
 * at the live end; `offset=N` sends events from N on.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { FlowRequest, FlowResult, MockFlow } from "./flow.js";

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
  readonly res: ServerResponse;
  cursor: number;
  written: number;
  fault: { kind: "drop" | "stall"; at: number; midLine: boolean } | undefined;
  wake: (() => void) | undefined;
}

const EVENT_TYPES = ["DetectionSummaryEvent", "AuthActivityAuditEvent", "UserActivityAuditEvent", "IncidentSummaryEvent", "RemoteResponseSessionStartEvent", "CustomerIOCEvent"];
const BATCH = 256;
const FEED_PATH = /^\/sensors\/entities\/datafeed\/v1\/(\d+)$/;
const REFRESH_PATH = /^\/sensors\/entities\/datafeed-actions\/v1\/(\d+)$/;
const LIST_PATH = "/sensors/entities/datafeed/v2";

export class StreamFlow implements MockFlow {
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
  #scopeDenied = false;
  #closed = false;

  constructor(options: StreamFlowOptions = {}) {
    this.counts = Array.from({ length: options.partitions ?? 2 }, () => options.events ?? 0);
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
    this.#faults.push({ kind: "drop", partition: options.partition, afterEvents: options.afterEvents ?? 0, midLine: options.midLine ?? false, remaining: options.times ?? 1 });
    this.wakeAll(options.partition);
  }

  /** The next `times` feed connections go silent (no events, no heartbeats) after `afterEvents` more events. */
  stall(options: { partition?: number; afterEvents?: number; times?: number } = {}): void {
    this.#faults.push({ kind: "stall", partition: options.partition, afterEvents: options.afterEvents ?? 0, midLine: false, remaining: options.times ?? 1 });
    this.wakeAll(options.partition);
  }

  /** Ends the sessions (of `partition`, or all): open feeds end, the next connection gets 401. */
  expireSessions(partition?: number): void {
    const now = Date.now();
    for (const s of this.#sessions.values()) if (partition === undefined || s.partition === partition) s.expiresAt = Math.min(s.expiresAt, now - 1);
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

  close(): void {
    this.#closed = true;
    for (const f of this.#open) f.res.destroy();
    this.wakeAll(undefined);
  }

  // ---- requests

  handle(request: FlowRequest, res: ServerResponse): FlowResult | Promise<FlowResult> {
    const { method, path } = request;
    const feed = FEED_PATH.exec(path);
    if (feed && method === "GET") return this.feed(request, res, Number(feed[1])).then(() => "sent" as const);
    if (path === LIST_PATH && method === "GET") {
      this.list(request, res);
      return "sent";
    }
    const refresh = REFRESH_PATH.exec(path);
    if (refresh && method === "POST") {
      this.refresh(request, res, Number(refresh[1]));
      return "sent";
    }
    return undefined;
  }

  private list(request: FlowRequest, res: ServerResponse): void {
    const { record } = request;
    this.lists++;
    if (!request.authorised()) return json(res, record, 401, "access denied, invalid bearer token");
    if (this.#scopeDenied) return json(res, record, 403, "access denied, authorization failed");
    const appId = record.searchParams.get("appId") ?? "";
    if (!this.#validAppId(appId)) return json(res, record, 400, `invalid appId ${JSON.stringify(appId)}`);
    const now = Date.now();
    const resources = this.counts.map((_, partition) => {
      const token = `strm_${partition}_${randomBytes(12).toString("hex")}`;
      const expiresAt = now + this.sessionLifetime * 1000;
      this.#sessions.set(token, { appId, partition, expiresAt });
      const q = `appId=${encodeURIComponent(appId)}`;
      return {
        dataFeedURL: `${request.origin}/sensors/entities/datafeed/v1/${partition}?${q}`,
        sessionToken: { token, expiration: new Date(expiresAt).toISOString() },
        refreshActiveSessionURL: `${request.origin}/sensors/entities/datafeed-actions/v1/${partition}?${q}&action_name=refresh_active_stream_session`,
        refreshActiveSessionInterval: this.refreshInterval,
      };
    });
    json(res, record, 200, undefined, resources);
  }

  private refresh(request: FlowRequest, res: ServerResponse, partition: number): void {
    const { record } = request;
    const appId = record.searchParams.get("appId") ?? "";
    const answer = (status: number, message?: string): void => {
      this.refreshes.push({ partition, appId, at: Date.now(), status });
      json(res, record, status, message);
    };
    if (!request.authorised()) return answer(401, "access denied, invalid bearer token");
    if (record.searchParams.get("action_name") !== "refresh_active_stream_session") return answer(400, "action_name must be refresh_active_stream_session");
    const now = Date.now();
    let live = 0;
    for (const s of this.#sessions.values()) {
      if (s.appId === appId && s.partition === partition && s.expiresAt > now) {
        s.expiresAt = now + this.sessionLifetime * 1000;
        live++;
      }
    }
    if (live === 0) return answer(404, `no active stream session for appId ${appId} partition ${partition}`);
    answer(200);
  }

  private async feed(request: FlowRequest, res: ServerResponse, partition: number): Promise<void> {
    const { record } = request;
    const raw = record.searchParams.get("offset");
    const offset = raw === null ? undefined : Number(raw);
    const connection = (status: number): void => void this.connections.push({ partition, offset, status, at: Date.now() });
    const refuse = (status: number, message: string): void => {
      connection(status);
      json(res, record, status, message);
    };
    const m = /^token\s+(\S+)$/i.exec(record.headers.authorization ?? "");
    const session = m ? this.#sessions.get(m[1]!) : undefined;
    if (partition >= this.counts.length) return refuse(404, `no partition ${partition}`);
    if (!session || session.partition !== partition || session.expiresAt <= Date.now()) {
      return refuse(401, "access denied, invalid or expired session token");
    }
    if (offset !== undefined && (!Number.isSafeInteger(offset) || offset < 0)) return refuse(400, `invalid offset ${raw}`);
    const failure = this.#feedFailures.find((f) => f.remaining > 0 && (f.partition === undefined || f.partition === partition));
    if (failure) {
      failure.remaining--;
      return refuse(failure.status, "stream service unavailable");
    }
    connection(200);
    record.status = 200;
    res.writeHead(200, { "content-type": "application/json", "x-cs-traceid": randomUUID() });
    res.flushHeaders();
    const feed: OpenFeed = { partition, res, cursor: offset ?? this.counts[partition]!, written: 0, fault: undefined, wake: undefined };
    this.#open.add(feed);
    res.on("close", () => {
      this.#open.delete(feed);
      feed.wake?.();
    });
    try {
      await this.serve(feed, session);
    } finally {
      this.#open.delete(feed);
    }
  }

  /** Writes events as they exist, heartbeats while idle, until the client leaves, a fault fires or the session ends. */
  private async serve(feed: OpenFeed, session: Session): Promise<void> {
    const { res, partition } = feed;
    while (!this.#closed && !res.destroyed) {
      if (session.expiresAt <= Date.now()) return void res.end();
      feed.fault ??= this.takeFault(feed);
      const fault = feed.fault;
      if (fault?.kind === "stall" && feed.written >= fault.at) {
        await this.idle(feed, Number.POSITIVE_INFINITY); // silent until the client gives up
        continue;
      }
      const count = this.counts[partition]!;
      if (feed.cursor >= count) {
        const beat = await this.idle(feed, this.#heartbeatMs);
        if (beat && !res.destroyed) res.write("\n");
        continue;
      }
      let n = Math.min(BATCH, count - feed.cursor);
      if (fault) n = Math.min(n, Math.max(0, fault.at - feed.written));
      if (fault?.kind === "drop" && n === 0) {
        if (fault.midLine) {
          const line = this.line(partition, feed.cursor);
          res.write(line.slice(0, line.length >> 1));
        }
        // let the bytes go out before the reset
        return void setTimeout(() => res.destroy(), 5);
      }
      let text = "";
      for (let i = 0; i < n; i++) text += this.line(partition, feed.cursor + i) + (i % 50 === 49 ? "\n\n" : "\n");
      feed.cursor += n;
      feed.written += n;
      this.sent[partition]! += n;
      if (!res.write(text)) await this.drained(feed);
    }
  }

  private takeFault(feed: OpenFeed): OpenFeed["fault"] {
    const f = this.#faults.find((x) => x.remaining > 0 && (x.partition === undefined || x.partition === feed.partition));
    if (!f) return undefined;
    f.remaining--;
    return { kind: f.kind, at: feed.written + f.afterEvents, midLine: f.midLine };
  }

  /** Waits for new events, a switch, close, or `ms`; true when the time ran out. */
  private idle(feed: OpenFeed, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => done(true), ms) : undefined;
      const done = (timedOut: boolean): void => {
        clearTimeout(timer);
        feed.wake = undefined;
        resolve(timedOut);
      };
      feed.wake = () => done(false);
    });
  }

  /** Waits until the socket takes more (or closes): the client's backpressure reaches the flow. */
  private drained(feed: OpenFeed): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        feed.res.off("drain", done);
        feed.res.off("close", done);
        resolve();
      };
      feed.res.on("drain", done);
      feed.res.on("close", done);
    });
  }

  private wakeAll(partition: number | undefined): void {
    for (const f of this.#open) if (partition === undefined || f.partition === partition) f.wake?.();
  }

  private partition(p: number): void {
    if (!Number.isInteger(p) || p < 0 || p >= this.counts.length) throw new RangeError(`the flow has partitions 0..${this.counts.length - 1}, not ${p}`);
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

function json(res: ServerResponse, record: FlowRequest["record"], status: number, message: string | undefined, resources: unknown[] = []): void {
  record.status = status;
  if (message) record.errors.push(message);
  const trace = randomUUID();
  const body = JSON.stringify({
    meta: { query_time: 0.001, powered_by: "mock-streams", trace_id: trace },
    errors: message ? [{ code: status, message }] : [],
    resources,
  });
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "x-cs-traceid": trace });
  res.end(body);
}
