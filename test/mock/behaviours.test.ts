import { afterEach, describe, expect, it } from "vitest";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { until } from "../support/until.js";
import { fixtureDoc } from "./fixture.js";

let mock: MockFalcon | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(
  extra: Parameters<typeof startMockFalcon>[0] = {},
): Promise<{ m: MockFalcon; get: (path?: string, init?: RequestInit) => Promise<Response> }> {
  const m = await startMockFalcon({ spec: fixtureDoc, ...extra });
  mock = m;
  const auth = { authorization: `Bearer ${m.issueToken()}` };
  return {
    m,
    get: (path = "/devices/queries/devices/v1?limit=1", init = {}) => fetch(m.url + path, { ...init, headers: auth }),
  };
}

describe("switchable behaviours", () => {
  it("redirects token requests at the wrong region with 308, Location and X-Cs-Region", async () => {
    const m = await startMockFalcon({ spec: fixtureDoc, regions: ["us-1", "us-2"] });
    mock = m;
    m.redirectTo("us-2");
    const form = new URLSearchParams({ client_id: "mock-client-id", client_secret: "mock-client-secret" });
    const res = await fetch(`${m.urls["us-1"]}/oauth2/token`, { method: "POST", body: form, redirect: "manual" });
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe(`${m.urls["us-2"]}/oauth2/token`);
    expect(res.headers.get("x-cs-region")).toBe("us-2");
    // fetch follows a 308 with the same method and body
    const followed = await fetch(`${m.urls["us-1"]}/oauth2/token`, { method: "POST", body: form });
    expect(followed.status).toBe(201);
    expect(followed.headers.get("x-cs-region")).toBe("us-2");
    expect(m.requests.map((r) => [r.region, r.status])).toEqual([
      ["us-1", 308],
      ["us-1", 308],
      ["us-2", 201],
    ]);
    expect(m.tokens[0]!.region).toBe("us-2");
    // API routes are not redirected in the default "oauth2" scope
    const api = await fetch(`${m.urls["us-1"]}/devices/queries/devices/v1?limit=1`, {
      headers: { authorization: `Bearer ${m.tokens[0]!.value}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get("x-cs-region")).toBe("us-1");
  });

  it("answers 429 with X-RateLimit-RetryAfter (epoch seconds) for the first N requests", async () => {
    const now = 1_700_000_000_500;
    const { m, get } = await start({ now: () => now });
    const h = m.rateLimit(2, { retryAfter: 3 });
    const first = await get();
    expect(first.status).toBe(429);
    expect(first.headers.get("x-ratelimit-retryafter")).toBe(String(1_700_000_000 + 3));
    expect(first.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await first.json()).toMatchObject({ errors: [{ code: 429 }] });
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(200);
    expect(h.hits).toBe(2);
  });

  it("answers 5xx (JSON or an HTML page) for matching requests only", async () => {
    const { m, get } = await start();
    m.serverError(1, { status: 503, match: "QueryDevices" });
    m.serverError(1, { status: 502, html: true, match: "GET /devices/entities/devices/latest" });
    expect((await get("/devices/entities/devices/latest")).status).toBe(502);
    const r = await get();
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ errors: [{ code: 503 }] });
    expect((await get()).status).toBe(200);
    m.serverError(Infinity, { status: 500, match: /latest$/ });
    expect((await get("/devices/entities/devices/latest")).status).toBe(500);
    expect((await get("/devices/entities/devices/latest")).status).toBe(500);
    m.clearFaults();
    const page = await get("/devices/entities/devices/latest");
    expect(page.status).toBe(200);
  });

  it("serves an HTML error page with its content type", async () => {
    const { m, get } = await start();
    m.serverError(1, { status: 502, html: true });
    const r = await get();
    expect(r.status).toBe(502);
    expect(r.headers.get("content-type")).toBe("text/html");
    expect(await r.text()).toContain("<html>");
  });

  it("delays answers", async () => {
    const { m, get } = await start();
    m.delay(500, { times: 1 });
    const t0 = performance.now();
    expect((await get()).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(490);
    // once: the next answer is not delayed (one local request, far below 500 ms even on a loaded machine)
    const t1 = performance.now();
    await get();
    expect(performance.now() - t1).toBeLessThan(400);
  });

  it("accepts a request and never answers (the client times out; close() still returns)", async () => {
    const { m, get } = await start();
    m.hang({ match: "QueryDevices" });
    await expect(get("/devices/queries/devices/v1?limit=1", { signal: AbortSignal.timeout(100) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect(m.requests.at(-1)!.status).toBeUndefined();
    // a second hanging request is still open when the test closes the server
    void get().catch(() => undefined);
    await until(() => m.requests.length === 2);
  });

  it("cuts a body short after the headers, and resets connections", async () => {
    const { m, get } = await start();
    m.truncate({ times: 1 });
    const r = await get();
    expect(r.status).toBe(200);
    expect(Number(r.headers.get("content-length"))).toBeGreaterThan(10);
    await expect(r.text()).rejects.toThrow();
    m.resetConnection({ times: 1 });
    await expect(get()).rejects.toThrow(/fetch failed/);
    expect((await get()).status).toBe(200);
  });

  it("overrides an operation's answer (status, body, headers), and only for valid requests", async () => {
    const { m, get } = await start();
    const h = m.override(
      "QueryDevices",
      { status: 200, body: { meta: {}, resources: ["x", "y"], errors: [] }, headers: { "x-extra": "1" } },
      { times: 2 },
    );
    const r = await get();
    expect(await r.json()).toEqual({ meta: {}, resources: ["x", "y"], errors: [] });
    expect(r.headers.get("x-extra")).toBe("1");
    expect(r.headers.get("x-cs-traceid")).toBeTruthy();
    // an invalid request is still a 400, and does not use up the override
    expect((await get("/devices/queries/devices/v1")).status).toBe(400);
    expect(h.hits).toBe(1);
    const bytes = new Uint8Array([1, 2, 3]);
    m.override("GetLatestDevice", { status: 404, body: bytes });
    const b = await get("/devices/entities/devices/latest");
    expect(b.status).toBe(404);
    expect(new Uint8Array(await b.arrayBuffer())).toEqual(bytes);
    h.remove();
  });

  it("counts X-Ratelimit-Remaining down per minute window", async () => {
    const { get } = await start({ rateLimitPerMinute: 10 });
    const a = Number((await get()).headers.get("x-ratelimit-remaining"));
    const b = Number((await get()).headers.get("x-ratelimit-remaining"));
    expect(b).toBe(a - 1);
  });
});
