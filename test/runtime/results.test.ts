import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  APIError,
  InvalidMethod,
  InvalidOperation,
  NetworkError,
  PayloadValidationError,
  TimeoutError,
} from "../../runtime/errors.js";
import { Result } from "../../runtime/results.js";
import { TestUber, Things } from "./fixtures.js";
import { startFakeFalcon } from "../support/fake-falcon.js";
import type { FakeFalcon } from "../support/fake-falcon.js";

let server: FakeFalcon;
let dict: Things;
let obj: Things<true>;
let uber: TestUber;

const page = {
  meta: { query_time: 0.5, trace_id: "tr-9", pagination: { offset: 2, limit: 2, total: 7 } },
  resources: [
    { id: "a", name: "alpha" },
    { id: "b", name: "beta" },
  ],
  errors: [],
  extra_top_level: { kept: true },
};

beforeAll(async () => {
  server = await startFakeFalcon();
  // one attempt per call: these tests check the shape of single failures (retries: test/reliability)
  dict = new Things({ accessToken: "legacy-token", baseUrl: server.url, retries: 0 });
  obj = new Things({ authObject: dict, pythonic: true });
  uber = new TestUber({ authObject: dict });
});
afterAll(() => server.close());
afterEach(() => {
  server.handler = undefined;
});

describe("dict mode", () => {
  it("returns {status_code, headers (lower-case), body} with extra top-level keys kept", async () => {
    server.handler = () => ({ body: page, headers: { "X-CS-Region": "us-2", "X-RateLimit-Remaining": "5999" } });
    const r = await dict.queryThings({ limit: 2 });
    expect(r.status_code).toBe(200);
    expect(r.headers["x-cs-region"]).toBe("us-2");
    expect(r.body).toEqual(page);
    expect(server.last().headers.authorization).toBe("Bearer legacy-token");
  });

  it("returns every HTTP status as a result, HTML error pages keep status and text", async () => {
    server.handler = () => ({ status: 404, body: { errors: [{ code: 404, message: "not found" }], resources: [] } });
    expect((await dict.queryThings()).status_code).toBe(404);
    server.handler = () => ({
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<html><body>Bad Gateway</body></html>",
    });
    const r = await dict.queryThings();
    expect(r).toMatchObject({
      ok: false,
      status_code: 502,
      body: {
        meta: {},
        errors: [{ code: 502, message: "HTTP 502: <html><body>Bad Gateway</body></html>" }],
        resources: [],
      },
    });
  });

  it("network failures give a 500-style result", async () => {
    server.handler = (_req, res) => {
      res.socket?.destroy();
    };
    const r = await dict.queryThings();
    expect(r.status_code).toBe(500);
    expect(r.headers).toEqual({});
    expect(r.body).toMatchObject({ resources: [] });
    expect((r.body as unknown as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /^QueryThings: network error: /,
    );
    server.handler = () => ({ body: "{not json" });
    const bad = await dict.queryThings();
    expect(bad.status_code).toBe(500);
    expect(JSON.stringify(bad.body)).toMatch(/unparseable JSON body \(HTTP 200/);
  });

  it("timeouts give a 500-style result naming the timeout", async () => {
    server.handler = () => new Promise((resolve) => setTimeout(() => resolve({}), 400));
    const r = await dict.queryThings({}, { timeout: 0.05 });
    expect(r.status_code).toBe(500);
    expect(JSON.stringify(r.body)).toMatch(/timed out after 0.05s/);
    // undici's read timers tick coarsely (~0.5 s), so the server waits longer here.
    server.handler = () => new Promise((resolve) => setTimeout(() => resolve({}), 2500));
    const read = await dict.queryThings({}, { timeout: { read: 0.1 } });
    expect(JSON.stringify(read.body)).toMatch(/UND_ERR_HEADERS_TIMEOUT/);
  });

  it("a caller's abort signal rejects with its reason", async () => {
    server.handler = () => new Promise((resolve) => setTimeout(() => resolve({}), 300));
    const ac = new AbortController();
    const p = dict.queryThings({}, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop")), 20);
    await expect(p).rejects.toThrow("stop");
  });
});

describe("object mode", () => {
  it("Result getters, iteration, prune, tupled, fullReturn", async () => {
    server.handler = () => ({
      body: page,
      headers: { "X-CS-Region": "us-2", "X-RateLimit-Limit": "6000", "X-RateLimit-Remaining": "5999" },
    });
    const r = await obj.queryThings({ limit: 2 });
    expect(r).toBeInstanceOf(Result);
    expect(r.resources.map((x) => x.id)).toEqual(["a", "b"]);
    expect([...r].map((x) => x.name)).toEqual(["alpha", "beta"]);
    expect(r.total).toBe(7);
    expect(r.offset).toBe(2);
    expect(r.limit).toBe(2);
    expect(r.after).toBeUndefined();
    expect(r.queryTime).toBe(0.5);
    expect(r.traceId).toBe("tr-9");
    expect(r.region).toBe("us-2");
    expect(r.ratelimitLimit).toBe(6000);
    expect(r.ratelimitRemaining).toBe(5999);
    expect(r.errors).toEqual([]);
    expect(r.prune("bet")).toEqual([{ id: "b", name: "beta" }]);
    expect(r.prune((x) => x.id === "a")).toEqual([{ id: "a", name: "alpha" }]);
    expect(r.tupled[0]).toBe(200);
    expect(r.fullReturn).toEqual({ status_code: 200, headers: r.headers, body: page });
  });

  it("throws APIError for status >= 400, NetworkError / TimeoutError for failures", async () => {
    server.handler = () => ({
      status: 403,
      body: { errors: [{ code: 403, message: "access denied, authorization failed" }], resources: [] },
      headers: { "X-CS-TraceId": "t-403" },
    });
    const err = await obj.queryThings().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(403);
    expect((err as APIError).message).toBe("QueryThings: HTTP 403: access denied, authorization failed (trace t-403)");
    server.handler = (_q, res) => void res.socket?.destroy();
    await expect(obj.queryThings()).rejects.toBeInstanceOf(NetworkError);
    server.handler = () => new Promise((resolve) => setTimeout(() => resolve({}), 300));
    const t = await obj.queryThings({}, { timeout: 0.05 }).catch((e: unknown) => e);
    expect(t).toBeInstanceOf(TimeoutError);
    expect((t as TimeoutError).operation).toBe("QueryThings");
  });

  it("per-call pythonic overrides the client's mode both ways", async () => {
    server.handler = () => ({ body: page });
    const asObject = await dict.queryThings({}, { pythonic: true });
    expect(asObject).toBeInstanceOf(Result);
    const asDict = await obj.queryThings({}, { pythonic: false });
    expect(asDict).not.toBeInstanceOf(Result);
    expect(asDict.body.resources).toHaveLength(2);
  });
});

describe("command()", () => {
  it("both call forms, deprecated IDs, results in both modes", async () => {
    server.handler = () => ({ body: page });
    const a = await uber.command("QueryThings", { limit: 1 });
    const b = await uber.command({ action: "query-things", limit: 1, filter: "x:1" });
    expect(a.body.resources).toHaveLength(2);
    expect(b.status_code).toBe(200);
    expect(server.last().query).toBe("limit=1&filter=x%3A1");
    const r = await uber.command("QueryThings", {}, { pythonic: true });
    expect(r.total).toBe(7);
  });

  it("unknown operation: FalconPy's 418 result in dict mode, InvalidOperation in object mode", async () => {
    const before = server.requests.length;
    const r = await uber.command("NoSuchOperation" as never);
    expect(r).toEqual({
      ok: false,
      status_code: 418,
      headers: {},
      body: { meta: {}, errors: [{ code: 418, message: "Invalid API operation specified." }], resources: [] },
    });
    await expect(
      uber.command("NoSuchOperation" as never, undefined as never, { pythonic: true }),
    ).rejects.toBeInstanceOf(InvalidOperation);
    expect(server.requests.length).toBe(before);
  });

  it("override routes, placeholders (partition, distinct_field), action_name, ids, headers, content_type", async () => {
    await uber.command({
      override: "post,/sensors/entities/datafeed-actions/v1/{partition}",
      partition: 3,
      action_name: "refresh_active_stream_session",
      parameters: { appId: "a1" },
      headers: { "X-Extra": "1" },
    });
    let r = server.last();
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/sensors/entities/datafeed-actions/v1/3");
    expect(r.query).toBe("appId=a1&action_name=refresh_active_stream_session");
    expect(r.body.toString()).toBe("{}");
    expect(r.headers["x-extra"]).toBe("1");
    await uber.command("Anything", {
      override: "GET,/fields/{distinct_field}/v1",
      distinct_field: "platform_name",
      ids: "a,b",
    });
    r = server.last();
    expect(r.url).toBe("/fields/platform_name/v1?ids=a&ids=b");
    await uber.command({ override: "PATCH,/x/v1", body: "raw", content_type: "text/plain" });
    r = server.last();
    expect(r.headers["content-type"]).toBe("text/plain");
    expect(r.body.toString()).toBe('"raw"');
    expect(await uber.command({ override: "FETCH,/x" })).toMatchObject({ status_code: 405 });
    await expect(uber.command({ override: "FETCH,/x" }, { pythonic: true })).rejects.toBeInstanceOf(InvalidMethod);
    await expect(uber.command({ override: "GET,/x", bogus: 1 })).rejects.toBeInstanceOf(PayloadValidationError);
  });
});
