/**
 * The Streaming API reader against the mock's stream flow over real HTTP: delivery across
 * faults, restarts from saved offsets, session refresh, fatal errors, backpressure, abort.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { APIError, ClientClosed, InvalidOption } from "../../runtime/errors.js";
import type { StreamEvent } from "../../runtime/streams/events.js";
import type { ReconnectInfo } from "../../runtime/streams/options.js";
import { until } from "../support/until.js";
import { QUICK, streamWorld, type StreamWorld } from "./fixture.js";

let world: StreamWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Every offset received per partition, in arrival order. */
function byPartition(events: readonly StreamEvent[]): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (const e of events) (out[e.partition] ??= []).push(e.metadata.offset);
  return out;
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe("EventStreams.read", () => {
  it("delivers two partitions exactly once and in order across a drop mid-line, a stall, a 503 and an expired session (401)", async () => {
    world = await streamWorld({ partitions: 2, events: 300, heartbeat: 0.05 });
    const { flow, streams } = world;
    flow.failFeed(503, { partition: 0 });
    flow.drop({ partition: 0, afterEvents: 40, midLine: true });
    flow.stall({ partition: 1, afterEvents: 70 });
    const reconnects: ReconnectInfo[] = [];
    const feed = streams.read({ appId: "test-reader", ...QUICK, onReconnect: (r) => void reconnects.push(r) });
    const events: StreamEvent[] = [];
    let expired = false;
    const seen = [0, 0];
    for await (const e of feed) {
      events.push(e);
      seen[e.partition]!++;
      // both partitions past their faults: end every session under the open feeds
      if (seen[0]! >= 150 && seen[1]! >= 150 && !expired) {
        expired = true;
        flow.expireSessions();
        flow.publish(0, 25);
        flow.publish(1, 25);
      }
      if (events.length === 650) break;
    }
    expect(byPartition(events)).toEqual({ 0: range(0, 325), 1: range(0, 325) });
    expect(feed.offsets()).toEqual({ 0: 324, 1: 324 });
    expect(feed.partitions()).toEqual([0, 1]);
    await until(() => flow.openFeeds === 0); // the server sees the client's sockets close

    const statuses = flow.connections.map((c) => `${c.partition}:${c.status}`);
    expect(statuses).toContain("0:503");
    expect(statuses.filter((s) => s.endsWith(":401")).length).toBeGreaterThanOrEqual(1);
    expect(flow.lists).toBe(2); // one fresh stream list served every partition's 401
    // every reconnection asked for the offset after the last one received
    for (const p of [0, 1]) {
      const asked = flow.connections.filter((c) => c.partition === p && c.status === 200).map((c) => c.offset);
      expect(asked[0]).toBe(0);
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (const o of asked.slice(1)) expect(o).toBeGreaterThan(0);
    }
    const first0 = flow.connections.filter((c) => c.partition === 0 && c.status === 200);
    expect(first0[1]!.offset).toBe(40); // cut in the middle of event 40: it is asked for again
    const first1 = flow.connections.filter((c) => c.partition === 1 && c.status === 200);
    expect(first1[1]!.offset).toBe(70); // stalled after 70 events
    const told = reconnects.map((r) => `${r.partition}:${r.reason}${r.status ? `:${r.status}` : ""}@${r.offset}`);
    expect(told).toContain("0:status:503@0");
    expect(told).toContain("0:error@40");
    expect(told).toContain("1:stall@70");
    expect(told.some((t) => /^[01]:(session:401|end)@/.test(t))).toBe(true);
    expect(reconnects.find((r) => r.reason === "session")?.delayMs ?? 0).toBe(0);
  });

  it("restarts from saved offsets: resumes at offset + 1 with nothing lost and nothing repeated", async () => {
    world = await streamWorld({ partitions: 2, events: 100 });
    const { flow, streams } = world;
    const saved: Record<number, number>[] = [];
    const first: StreamEvent[] = [];
    const feed1 = streams.read({
      appId: "restarter",
      ...QUICK,
      checkpoint: { every: 30, onCheckpoint: (o) => void saved.push(o) },
    });
    for await (const e of feed1) {
      first.push(e);
      if (first.length === 120) break;
    }
    // break closed the feed and saved what was delivered
    const last = saved.at(-1)!;
    expect(last).toEqual(feed1.offsets());
    const delivered = (o: Record<number, number>) => Object.values(o).reduce((n, offset) => n + offset + 1, 0);
    expect(saved.map(delivered)).toEqual([30, 60, 90, 120]); // every 30 events, the last at close

    const feed2 = streams.read({ appId: "restarter", ...QUICK, offsets: last });
    const second: StreamEvent[] = [];
    for await (const e of feed2) {
      second.push(e);
      if (second.length === 200 - 120) break;
    }
    const all = byPartition([...first, ...second]);
    expect(all).toEqual({ 0: range(0, 100), 1: range(0, 100) });
    const resumed = flow.connections.filter((c) => c.status === 200).slice(-2);
    expect(resumed.map((c) => c.offset).sort()).toEqual([last[0]! + 1, last[1]! + 1].sort());
  });

  it("refreshes every session before its interval ends (2.5 s interval)", async () => {
    // the reader refreshes a fifth of the interval early: 500 ms for its timer and request to be late by
    world = await streamWorld({ partitions: 2, events: 0, refreshInterval: 2.5, heartbeat: 0.1 });
    const { flow, streams, mock } = world;
    const feed = streams.read({ appId: "refresher", ...QUICK });
    const reading = (async () => {
      for await (const e of feed) void e;
    })();
    await until(() => [0, 1].every((p) => flow.refreshes.filter((r) => r.partition === p).length >= 2));
    flow.publish(0, 5);
    await feed.close();
    await reading;
    expect(flow.refreshes.every((r) => r.status === 200 && r.appId === "refresher")).toBe(true);
    // a session's interval starts when the server lists it (not when the test started: the
    // login and the list before it take their time on a loaded machine), then at each refresh
    const listed = mock.requests.filter((r) => r.operationId === "listAvailableStreamsOAuth2");
    expect(listed).toHaveLength(1);
    for (const p of [0, 1]) {
      const times = [listed[0]!.receivedAt, ...flow.refreshes.filter((r) => r.partition === p).map((r) => r.at)];
      expect(times.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThan(2500);
    }
    expect(flow.connections.filter((c) => c.status === 401)).toEqual([]); // no session ever lapsed
    await until(() => flow.openFeeds === 0);
  });

  it("retries a failed refresh before the interval ends, then takes a new session, and keeps delivering", async () => {
    world = await streamWorld({ partitions: 1, events: 0, refreshInterval: 1.5, heartbeat: 0.1 });
    const { flow, streams, mock } = world;
    const failing = mock.serverError(1000, { status: 500, match: "refreshActiveStreamSession" });
    const feed = streams.read({ appId: "unrefreshed", ...QUICK });
    const it = feed[Symbol.asyncIterator]();
    const first = it.next();
    await until(() => flow.lists >= 2); // the interval ended: a new session was listed
    failing.remove();
    flow.publish(0, 3);
    expect((await first).value?.metadata.offset).toBe(0);
    const attempts = mock.requests
      .filter((r) => r.operationId === "refreshActiveStreamSession")
      .map((r) => r.receivedAt);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(200); // no hammering
    await until(() => flow.refreshes.some((r) => r.status === 200)); // the new session is refreshed
    await feed.close();
  });

  it("holds at most bufferSize events per partition for a slow consumer (the socket pauses, not a stall)", async () => {
    world = await streamWorld({ partitions: 1, events: 200_000 });
    const { flow, streams } = world;
    const feed = streams.read({
      appId: "slow",
      bufferSize: 100,
      idleTimeout: 0.5,
      reconnectDelay: { min: 0.01, max: 0.05 },
    });
    let n = 0;
    for await (const e of feed) {
      void e;
      if (++n === 10) await new Promise((r) => setTimeout(r, 1500)); // three times idleTimeout
      if (n === 1000) break;
    }
    // the server could not write far ahead: socket buffers plus 100 held events, not 200,000
    expect(flow.sent[0]).toBeLessThan(60_000);
    expect(flow.connections.filter((c) => c.status === 200)).toHaveLength(1); // the pause was no stall
  });

  it("calls onCheckpoint after `every` events and `seconds` after an unsaved event, also while waiting", async () => {
    world = await streamWorld({ partitions: 1, events: 25, heartbeat: 0.05 });
    const saved: Record<number, number>[] = [];
    const feed = world.streams.read({
      appId: "ckpt",
      ...QUICK,
      checkpoint: { every: 10, seconds: 0.2, onCheckpoint: (o) => void saved.push(o) },
    });
    let n = 0;
    for await (const e of feed) {
      void e;
      if (++n === 25) break;
      if (n === 25) break;
    }
    expect(saved.map((s) => s[0])).toEqual([9, 19, 24]);
    const feed2 = world.streams.read({
      appId: "ckpt",
      ...QUICK,
      offsets: { 0: 24 },
      checkpoint: { seconds: 0.2, onCheckpoint: (o) => void saved.push(o) },
    });
    world.flow.publish(0, 3);
    const it2 = feed2[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) await it2.next();
    const pending = it2.next(); // waits: nothing more is published
    await until(() => saved.length === 4);
    expect(saved[3]).toEqual({ 0: 27 });
    await feed2.close();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it("abort ends the iteration with the signal's reason and closes every connection and timer", async () => {
    world = await streamWorld({ partitions: 2, events: 50, heartbeat: 0.05, refreshInterval: 2 });
    const controller = new AbortController();
    const feed = world.streams.read({ appId: "aborter", ...QUICK, signal: controller.signal });
    let n = 0;
    const run = (async () => {
      for await (const e of feed) {
        void e;
        if (++n === 100) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(n).toBe(100);
    await until(() => world!.flow.openFeeds === 0);
  });

  it("the feed GET bypasses user middleware; closing the client ends the feed with ClientClosed", async () => {
    world = await streamWorld({ partitions: 2, events: 50, heartbeat: 0.05 });
    const seen: string[] = [];
    world.streams.use({ onRequest: ({ request }) => void seen.push(new URL(request.url).pathname) });
    const feed = world.streams.read({ appId: "closer", ...QUICK });
    let n = 0;
    const run = (async () => {
      for await (const e of feed) {
        void e;
        if (++n === 100) void world!.streams.close();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(ClientClosed);
    expect(n).toBe(100);
    await until(() => world!.flow.openFeeds === 0);
    // the list went through the pipeline (and so the middleware); the feed went straight to the transport
    expect(seen).toContain("/sensors/entities/datafeed/v2");
    expect(seen.some((p) => p.startsWith("/sensors/entities/datafeed/v1/"))).toBe(false);
    expect(world.flow.connections.length).toBeGreaterThanOrEqual(2);
  });

  it("ends with a typed error for what retrying cannot fix", async () => {
    world = await streamWorld({ partitions: 2 });
    const { flow, streams } = world;
    const drain = async (appId: string, extra = {}) => {
      for await (const e of streams.read({ appId, ...QUICK, ...extra })) void e;
    };
    const bad = await drain("not a valid app id!".replace(/ /g, "+")).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(APIError);
    expect(bad).toMatchObject({ status: 400 });
    flow.denyScope();
    const denied = await drain("no-scope").catch((e: unknown) => e);
    expect(denied).toMatchObject({ status: 403, message: expect.stringContaining("listAvailableStreamsOAuth2") });
    flow.denyScope(false);
    const missing = await drain("fine", { partitions: [0, 7] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidOption);
    expect((missing as Error).message).toContain("partition 7 is not offered");
    expect(flow.openFeeds).toBe(0);
    expect(() => streams.read({ appId: "" })).toThrow(InvalidOption);
    expect(() => streams.read({ appId: "a", idleTimeout: 0 })).toThrow(/idleTimeout/);
    expect(() => streams.read({ appId: "a", offsets: { 0: -1 } })).toThrow(/offsets\.0/);
    expect(() => streams.read({ appId: "a", partitions: [1.5] })).toThrow(/partitions/);
    expect(() => streams.read({ appId: "a", start: "newest" as "latest" })).toThrow(/start/);
    expect(() => streams.read({ appId: "a", refresh: true } as never)).toThrow(/unknown option/);
  });

  it("starts partitions without a saved offset at the oldest event, or at the live end with start: latest", async () => {
    world = await streamWorld({ partitions: 1, events: 10, heartbeat: 0.05 });
    const { flow, streams } = world;
    const latest = streams.read({ appId: "tail", ...QUICK, start: "latest" });
    const it = latest[Symbol.asyncIterator]();
    const first = it.next();
    await until(() => flow.openFeeds === 1);
    flow.publish(0, 2);
    expect((await first).value?.metadata.offset).toBe(10);
    await latest.close();
    expect(flow.connections.at(-1)!.offset).toBeUndefined();
    const earliest = streams.read({ appId: "head", ...QUICK });
    const e = await earliest[Symbol.asyncIterator]().next();
    expect(e.value?.metadata.offset).toBe(0);
    await earliest.close();
  });

  it("yields typed events: `eventType` narrows the payload; the feed's session token stays off the API requests", async () => {
    world = await streamWorld({ partitions: 1 });
    const { flow, streams, mock } = world;
    flow.publish(0, [
      { eventType: "DetectionSummaryEvent", event: { DetectName: "Credential Theft", Severity: 4 } },
      { eventType: "BrandNewEvent", event: { Anything: [1, 2] } },
    ]);
    const feed = streams.read({ appId: "typed", ...QUICK });
    const disposable: AsyncDisposable = feed; // `await using feed = streams.read(...)` closes it
    expect(typeof disposable[Symbol.asyncDispose]).toBe("function");
    const seen: string[] = [];
    for await (const e of feed) {
      switch (e.eventType) {
        case "DetectionSummaryEvent": {
          const name: string | undefined = e.event.DetectName;
          const severity: number | undefined = e.event.Severity;
          seen.push(`${e.metadata.eventType}:${name}:${severity}`);
          break;
        }
        default:
          seen.push(`${e.eventType}:${JSON.stringify(e.event.Anything)}`);
      }
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["DetectionSummaryEvent:Credential Theft:4", "BrandNewEvent:[1,2]"]);
    // the session token is held privately: not in inspect() or JSON of the feed
    expect(inspect(feed, { depth: 8, showHidden: true })).not.toMatch(/strm_/);
    expect(JSON.stringify(feed)).not.toMatch(/strm_/);
    const feedRequests = mock.requests.filter((r) => r.path.startsWith("/sensors/entities/datafeed/v1/"));
    expect(feedRequests[0]!.headers.authorization).toMatch(/^Token strm_0_/);
    expect(feedRequests[0]!.headers["user-agent"]).toMatch(/falconts/);
    const api = mock.requests.filter((r) => r.path === "/sensors/entities/datafeed/v2");
    expect(api[0]!.headers.authorization).toMatch(/^Bearer /);
  });
});
