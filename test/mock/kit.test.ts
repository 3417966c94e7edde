/**
 * The test kit's typed API (mock/index.ts) driven through the real client over HTTP: handlers
 * by operation ID, recorded calls, faults, reset, `await using`, scenarios, and the seeded world.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectOk } from "../support/expect-ok.js";
import { Alerts } from "../../generated/alerts/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import { FalconXSandbox } from "../../generated/falconx-sandbox/index.js";
import {
  defineScenario,
  ENTITY_FAMILIES,
  scenarioNames,
  startMockFalcon,
  type MockFalcon,
  type MockFlow,
} from "../../mock/index.js";
import { JobFailed } from "../../runtime/poll.js";

let mock: MockFalcon;
beforeAll(async () => {
  mock = await startMockFalcon({ seed: 42, clientId: "kit-id", clientSecret: "kit-secret" });
});
afterAll(() => mock.close());
afterEach(() => mock.reset());

/** A host of the seeded world: details calls answer the ids the world has (made-up ones are not found, as on Falcon). */
const hostId = (): string => mock.world.ids(ENTITY_FAMILIES.hosts)[0]!;

const hosts = (): Hosts =>
  new Hosts({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    baseUrl: mock.url,
    retries: { attempts: 2, baseDelay: 0.01 },
  });

describe("handlers by operation ID", () => {
  it("a typed handler sees the parsed request and its reply reaches the client, envelope completed", async () => {
    mock.on("QueryDevicesByFilterScroll", (request) => {
      const limit: number | undefined = request.query.limit;
      const filter: string | undefined = request.query.filter;
      return { body: { resources: [`limit=${limit}`, `filter=${filter}`] } };
    });
    const r = await hosts().queryDevicesByFilterScroll({ limit: 7, filter: "platform_name:'Windows'" });
    expect(r.status_code).toBe(200);
    expect(r.body.resources).toEqual(["limit=7", "filter=platform_name:'Windows'"]);
    expect(r.body.errors).toEqual([]);
    expect(typeof r.body.meta.trace_id).toBe("string");
    expect(r.body.meta.trace_id).toBe(r.headers["x-cs-traceid"]);
  });

  it("a fixed reply, an error status, `times`, and falling through to the data world", async () => {
    mock.on(
      "GetDeviceDetailsV2",
      { status: 404, body: { errors: [{ code: 404, message: "no such host" }], resources: [] } },
      { times: 1 },
    );
    const first = await hosts().getDeviceDetailsV2({ ids: [hostId()] });
    expect(first.status_code).toBe(404);
    expect(first.body.errors?.[0]?.message).toBe("no such host");
    const second = await hosts().getDeviceDetailsV2({ ids: [hostId()] });
    expect(second.status_code).toBe(200);
    mock.on("GetDeviceDetailsV2", () => undefined);
    expect((await hosts().getDeviceDetailsV2({ ids: [hostId()] })).status_code).toBe(200);
  });

  it("defaultBody() gives the world's answer to adjust", async () => {
    mock.on("GetDeviceDetailsV2", (_request, context) => {
      const body = context.defaultBody();
      body.resources[0]!.hostname = "PINNED-HOST";
      return { body };
    });
    const r = await hosts().getDeviceDetailsV2({ ids: [hostId()] });
    expect(r.status_code).toBe(200);
    expect(r.body.resources[0]).toMatchObject({
      device_id: hostId(),
      hostname: "PINNED-HOST",
    });
  });

  it("a handler may answer with a fault", async () => {
    mock.on("QueryDevicesByFilterScroll", { fault: { kind: "status", status: 503 } }, { times: 1 });
    const r = await hosts().queryDevicesByFilterScroll({});
    expect(r.status_code).toBe(200); // the 503 was retried
    expect(mock.calls("QueryDevicesByFilterScroll").map((c) => c.status)).toEqual([503, 200]);
  });

  it("requests are validated before a handler runs", async () => {
    let seen = 0;
    mock.on("GetDeviceDetailsV2", () => {
      seen++;
      return { body: { resources: [] } };
    });
    const r = await new APIHarnessV2({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      baseUrl: mock.url,
    }).command({
      action: "GetDeviceDetailsV2",
      parameters: {},
    } as never);
    expect(r.status_code).toBe(400);
    expect(JSON.stringify(r.body)).toContain("ids");
    expect(seen).toBe(0);
  });

  it("rejects unknown operation IDs (types and run time)", () => {
    // @ts-expect-error not an operation ID
    expect(() => mock.on("NoSuchOperation", { body: {} })).toThrow(/no operation "NoSuchOperation"/);
    // @ts-expect-error not an operation ID
    expect(() => mock.calls("NoSuchOperation")).toThrow(TypeError);
    // @ts-expect-error the reply is typed too: these resources are ids (strings)
    mock.on("QueryDevicesByFilterScroll", (r) => ({
      // @ts-expect-error limit is a number
      body: { resources: [r.query.limit satisfies string | undefined] },
    }));
    // @ts-expect-error this operation's resources are ids
    mock.on("QueryDevicesByFilterScroll", { body: { resources: [1] } });
  });
});

describe("recorded calls", () => {
  it("typed by operation ID, with what was answered", async () => {
    // the README's example handler
    mock.on("PerformActionV2", (request) => ({
      status: 202,
      body: { resources: request.body?.ids?.map((id) => ({ id })) ?? [] },
    }));
    const r = await hosts().performActionV2({ action_name: "contain", ids: ["a".repeat(32)] });
    expect(r.body.resources).toEqual([{ id: "a".repeat(32) }]);
    const [call] = mock.calls("PerformActionV2");
    expect(call!.query.action_name).toBe("contain");
    expect(call!.body?.ids).toEqual(["a".repeat(32)]);
    expect(call!.status).toBe(202);
    expect(call!.errors).toEqual([]);
    expect(mock.calls().map((c) => c.operationId)).toContain("PerformActionV2");
  });
});

describe("faults", () => {
  it("429 with X-RateLimit-RetryAfter, then success", async () => {
    mock.fault("QueryDevicesByFilterScroll", { kind: "rateLimit", retryAfter: 0 }, { times: 1 });
    const r = await hosts().queryDevicesByFilterScroll({});
    expect(r.status_code).toBe(200);
    expect(mock.calls("QueryDevicesByFilterScroll").map((c) => c.status)).toEqual([429, 200]);
  });

  it("shorthands and `*`: a reset of every request, token requests included", async () => {
    mock.fault("*", "reset", { times: 1 });
    // a reset token request is retried inside the login (issue 13), so the call still succeeds
    const r = await hosts().queryDevicesByFilterScroll({});
    expect(r.status_code).toBe(200);
    expect(mock.requests[0]!.path).toBe("/oauth2/token");
    expect(mock.requests[0]!.fault).toBe("reset");
    expect(mock.requests[1]!.path).toBe("/oauth2/token");
    expect(mock.requests[1]!.fault).toBeUndefined();
  });

  it("5xx exhausted, hang with a timeout, truncated body, region redirect", async () => {
    mock.fault("GetDeviceDetailsV2", { kind: "status", status: 502 });
    expect((await hosts().getDeviceDetailsV2({ ids: ["x"] })).status_code).toBe(502);
    mock.reset();
    mock.fault("GetDeviceDetailsV2", "hang");
    const hung = await new Hosts({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      baseUrl: mock.url,
      retries: 0,
    }).getDeviceDetailsV2({ ids: ["x"] }, { timeout: 0.2 });
    expect(hung.status_code).toBe(500);
    mock.reset();
    mock.fault("GetDeviceDetailsV2", "truncate");
    const cut = await new Hosts({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      baseUrl: mock.url,
      retries: 0,
    }).getDeviceDetailsV2({ ids: ["x"] });
    expect(cut.status_code).toBe(500);
    mock.reset();
    mock.fault("oauth2AccessToken", { kind: "redirect", region: "us-2" }, { times: 1 });
    expect((await hosts().queryDevicesByFilterScroll({})).status_code).toBe(200);
    expect(mock.calls("oauth2AccessToken").map((c) => c.status)).toEqual([308, 201]);
  });

  it("reset() clears handlers, faults and calls", async () => {
    mock.on("QueryDevicesByFilterScroll", { body: { resources: ["pinned"] } });
    mock.fault("GetDeviceDetailsV2", { kind: "status", status: 500 });
    await hosts().queryDevicesByFilterScroll({});
    mock.reset();
    expect(mock.calls()).toEqual([]);
    const r = await hosts().queryDevicesByFilterScroll({});
    expect(r.body.resources).not.toEqual(["pinned"]);
    expect((await hosts().getDeviceDetailsV2({ ids: [hostId()] })).status_code).toBe(200);
  });
});

describe("lifetime", () => {
  it("`await using` closes the server", async () => {
    let url = "";
    {
      await using m = await startMockFalcon();
      url = m.url;
      expect((await fetch(`${url}/oauth2/token`, { method: "POST" })).status).toBe(400);
    }
    await expect(fetch(`${url}/oauth2/token`, { method: "POST" })).rejects.toThrow();
  });
});

describe("the seeded world", () => {
  it("a query's ids resolve in the details call: hosts (scroll, then PostDeviceDetailsV2 and GetDeviceDetailsV2)", async () => {
    const ids = (await hosts().queryDevicesByFilterScroll({ limit: 5 })).body.resources as string[];
    expect(ids).toHaveLength(5);
    expect(ids).toEqual(mock.world.ids(ENTITY_FAMILIES.hosts).slice(0, 5));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    const post = await hosts().postDeviceDetailsV2({ ids });
    const get = await hosts().getDeviceDetailsV2({ ids });
    expectOk(post);
    expectOk(get);
    expect(post.body.resources.map((d) => d.device_id)).toEqual(ids);
    // the same host has the same values in every operation
    expect(get.body.resources.map((d) => d.hostname)).toEqual(post.body.resources.map((d) => d.hostname));
    for (const d of get.body.resources) {
      expect(Number.isNaN(Date.parse(d.last_seen!))).toBe(false);
      expect(["Windows", "Mac", "Linux"]).toContain(d.platform_name);
      expect(d.local_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(d.mac_address).toMatch(/^([0-9a-f]{2}-){5}[0-9a-f]{2}$/);
      expect(d.cid).toBe(mock.world.cid);
      expect(["normal", "containment_pending", "contained"]).toContain(d.status);
    }
  });

  it("alerts: composite ids name a world host, and resolve in PostEntitiesAlertsV2", async () => {
    const alerts = new Alerts({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
    const q = await alerts.getQueriesAlertsV2({ limit: 3 });
    const ids = q.body.resources as string[];
    expect(ids).toHaveLength(3);
    const d = await alerts.postEntitiesAlertsV2({ composite_ids: ids });
    expectOk(d);
    expect(d.body.resources.map((a) => a.composite_id)).toEqual(ids);
    for (const a of d.body.resources) {
      const aid = a.composite_id.split(":")[2]!;
      expect(mock.world.has(ENTITY_FAMILIES.hosts, aid)).toBe(true);
      expect(a.cid).toBe(mock.world.cid);
      expect(["new", "in_progress", "closed", "reopened"]).toContain(a.status);
      // the alert's device is that world host, with the values its details call gives
      const hostResult = await hosts().getDeviceDetailsV2({ ids: [aid] });
      expectOk(hostResult);
      const host = hostResult.body.resources[0]!;
      expect(a.device).toMatchObject({
        device_id: aid,
        hostname: host.hostname,
        local_ip: host.local_ip,
        platform_name: host.platform_name,
        mac_address: host.mac_address,
      });
    }
  });

  it("incidents and users resolve too", async () => {
    const falcon = new APIHarnessV2({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
    const inc = await falcon.command("QueryIncidents", { limit: 4 });
    const incIds = inc.body.resources as string[];
    expect(incIds).toHaveLength(4);
    const incDetails = await falcon.command("GetIncidents", { ids: incIds });
    const incidents = incDetails.body.resources as { incident_id: string; status: number }[];
    expect(incidents.map((i) => i.incident_id)).toEqual(incIds);
    for (const i of incidents) expect([20, 25, 30, 40]).toContain(i.status);
    const users = await falcon.command("queryUserV1", { limit: 3 });
    const uuids = users.body.resources as string[];
    for (const u of uuids) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const details = await falcon.command("retrieveUsersGETV1", { ids: uuids });
    const records = details.body.resources as { uuid: string; uid: string }[];
    expect(records.map((u) => u.uuid)).toEqual(uuids);
    for (const u of records) expect(u.uid).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);
  });

  it("filter (FQL subset) and sort hold across the query and the details", async () => {
    const windows = (
      await hosts().queryDevicesByFilterScroll({ filter: "platform_name:'Windows'", sort: "hostname.desc" })
    ).body.resources as string[];
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.length).toBeLessThan(25);
    const detailsResult = await hosts().postDeviceDetailsV2({ ids: windows });
    expectOk(detailsResult);
    const details = detailsResult.body.resources;
    expect(details.every((d) => d.platform_name === "Windows")).toBe(true);
    const names = details.map((d) => d.hostname!);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    const all = (await hosts().queryDevicesByFilterScroll({})).body.resources as string[];
    const others = (await hosts().queryDevicesByFilterScroll({ filter: "platform_name:!'Windows'" })).body
      .resources as string[];
    expect(new Set([...windows, ...others])).toEqual(new Set(all));
  });

  it("pages end: the scroll token walks the whole family once, then is empty", async () => {
    const seen: string[] = [];
    let offset: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await hosts().queryDevicesByFilterScroll({ limit: 10, ...(offset ? { offset } : {}) });
      expectOk(r);
      seen.push(...(r.body.resources as string[]));
      expect(r.body.meta.pagination?.total).toBe(25);
      offset = r.body.meta.pagination?.offset as string | undefined;
      if (!offset) break;
    }
    expect(seen).toEqual([...mock.world.ids(ENTITY_FAMILIES.hosts)]);
  });

  it("is deterministic from the seed and sized per family", async () => {
    await using a = await startMockFalcon({ seed: "s", world: { sizes: { hosts: 3, default: 2 } } });
    await using b = await startMockFalcon({ seed: "s" });
    expect(a.world.ids(ENTITY_FAMILIES.hosts)).toHaveLength(3);
    expect(a.world.ids(ENTITY_FAMILIES.incidents)).toHaveLength(2);
    expect(b.world.ids(ENTITY_FAMILIES.hosts).slice(0, 3)).toEqual(a.world.ids(ENTITY_FAMILIES.hosts));
    expect(mock.world.ids(ENTITY_FAMILIES.hosts)[0]).not.toBe(a.world.ids(ENTITY_FAMILIES.hosts)[0]);
    await expect(startMockFalcon({ world: { sizes: { hosts: -1 } } })).rejects.toThrow(/whole number/);
  });
});

describe("scenarios", () => {
  it("the built-in scenarios come with the kit, typed by name, and reset with the mock", async () => {
    expect(scenarioNames()).toEqual(expect.arrayContaining(["event-streams", "jobs", "pagination", "rtr"]));
    const handle = mock.scenario("jobs", { pollAfterMs: 1 });
    try {
      const jobs = handle.flow;
      jobs.submission("kit-sub", { polls: 0, outcome: "error" });
      const falconx = new FalconXSandbox({
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        baseUrl: mock.url,
      });
      await expect(falconx.waitForReport("kit-sub", { interval: 0.01 })).rejects.toBeInstanceOf(JobFailed);
      expect(jobs.polls.get("kit-sub")).toBe(1);
      mock.reset();
      expect(jobs.polls.size).toBe(0);
      await falconx.close();
    } finally {
      handle.remove();
    }
  });

  it("a named, stateful flow: a sandbox submission that runs for two polls, then succeeds", async () => {
    defineScenario<{ polls: number }>("test:sandbox", ({ polls }) => {
      const seen = new Map<string, number>();
      const flow: MockFlow = {
        name: "test:sandbox",
        operations: ["GetSubmissions"],
        answer(request, context) {
          const ids = (request.query.ids as string[]) ?? [];
          const body = context.defaultBody() as { resources: { id: string; state: string }[] };
          for (const r of body.resources) {
            const n = (seen.get(r.id) ?? 0) + 1;
            seen.set(r.id, n);
            r.state = n > polls ? "success" : "running";
          }
          void ids;
          return { body };
        },
        reset: () => seen.clear(),
        close: () => closed++,
      };
      return flow;
    });
    let closed = 0;
    const handle = mock.scenario("test:sandbox", { polls: 2 });
    const falcon = new APIHarnessV2({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
    const submission = mock.world.ids(ENTITY_FAMILIES.sandboxSubmissions)[0]!;
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await falcon.command("GetSubmissions", { ids: [submission] });
      states.push((r.body.resources as { state: string }[])[0]!.state);
    }
    expect(states).toEqual(["running", "running", "success"]);
    // reset() keeps a scenario and starts it again; remove() ends it
    mock.reset();
    const again = await falcon.command("GetSubmissions", { ids: [submission] });
    expect((again.body.resources as { state: string }[])[0]!.state).toBe("running");
    handle.remove();
    expect(closed).toBe(1);
    expect(() => mock.scenario("no-such")).toThrow(/no mock scenario named "no-such"/);
  });

  it("a flow may serve a route outside the spec, streamed", async () => {
    const feed = mock.flow({
      name: "test:feed",
      route(request) {
        if (request.url.pathname !== "/sensors/entities/datafeed/v1/stream") return undefined;
        async function* events(): AsyncGenerator<string> {
          for (let i = 0; i < 3; i++) yield `${JSON.stringify({ metadata: { offset: i } })}\n`;
        }
        return { contentType: "application/x-ndjson", body: events() };
      },
    });
    const res = await fetch(`${mock.url}/sensors/entities/datafeed/v1/stream?appId=x`);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    expect(
      (await res.text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).metadata.offset),
    ).toEqual([0, 1, 2]);
    feed.remove();
    expect((await fetch(`${mock.url}/sensors/entities/datafeed/v1/stream?appId=x`)).status).toBe(404);
  });
});
