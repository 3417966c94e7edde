import { describe, expect, it } from "vitest";
import type { MockFalcon } from "../../mock/server.js";
import { Hosts } from "../../generated/hosts/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import type { FalconOptions } from "../../runtime/options.js";
import { errorBodyOf, type DictResponse } from "../../runtime/results.js";
import { MOCK_CREDS, useHostsMock } from "../support/hosts-mock.js";

const CREDS = MOCK_CREDS;

let mock: MockFalcon;
useHostsMock((m) => {
  mock = m;
});

const hosts = (extra: Omit<FalconOptions, "pythonic"> = {}) =>
  new Hosts({ ...CREDS, baseUrl: mock.url, retries: 0, ...extra });
const MATCH = "QueryDevicesByFilterScroll";

function expectErrorShape(r: DictResponse<unknown>, status: number, message: RegExp): void {
  expect(r.ok).toBe(false);
  expect(r.status_code).toBe(status);
  if (r.ok) return;
  expect(Array.isArray(r.body.errors)).toBe(true);
  expect(r.body.errors.length).toBeGreaterThan(0);
  for (const e of r.body.errors) expect(typeof e.message).toBe("string");
  expect(r.body.errors[0]!.message).toMatch(message);
  expect(Array.isArray(r.body.resources)).toBe(true);
  expect(typeof r.body.meta).toBe("object");
  expect(r.body.meta).not.toBeNull();
}

describe("dict-mode failure bodies", () => {
  it("an API error (403 JSON) keeps the API's errors and other keys", async () => {
    mock.override(MATCH, {
      status: 403,
      body: { meta: { trace_id: "t-1" }, errors: [{ code: 403, message: "access denied" }], resources: null, extra: 1 },
    });
    const r = await hosts().queryDevicesByFilterScroll();
    expectErrorShape(r, 403, /^access denied$/);
    expect(r.body).toMatchObject({ meta: { trace_id: "t-1" }, resources: [], extra: 1 });
  });

  it("an API error whose errors are null or missing gets one entry naming the status", async () => {
    mock.override(MATCH, { status: 404, body: { meta: {}, errors: null } });
    expectErrorShape(await hosts().queryDevicesByFilterScroll(), 404, /^HTTP 404$/);
    mock.clearFaults();
    mock.override(MATCH, { status: 400, body: "", contentType: "application/json" });
    expectErrorShape(await hosts().queryDevicesByFilterScroll(), 400, /empty body/);
  });

  it("a failed login (bad credentials), no credentials at all, an unknown operation", async () => {
    expectErrorShape(await hosts({ clientSecret: "wrong" }).queryDevicesByFilterScroll(), 403, /./);
    expectErrorShape(
      await new Hosts({ baseUrl: mock.url, environment: { prefix: "NO_SUCH_" } }).queryDevicesByFilterScroll(),
      401,
      /no authentication mechanism/,
    );
    expectErrorShape(
      await new APIHarnessV2({ ...CREDS, baseUrl: mock.url }).command("NoSuchOperation" as never),
      418,
      /Invalid API operation/,
    );
  });

  it("a network error, a timeout, an unparseable success body", async () => {
    mock.resetConnection({ match: MATCH });
    expectErrorShape(await hosts().queryDevicesByFilterScroll(), 500, /network error/);
    mock.clearFaults();
    mock.hang({ match: MATCH });
    expectErrorShape(await hosts().queryDevicesByFilterScroll({}, { timeout: 0.2 }), 500, /timed out/);
    mock.clearFaults();
    mock.override(MATCH, { status: 200, body: "{not json", contentType: "application/json" });
    expectErrorShape(await hosts().queryDevicesByFilterScroll(), 500, /unparseable JSON/);
  });

  it("a non-JSON error page: its text (redacted, on one line, capped) is the message", async () => {
    const page = `<html>\n<body>Bad gateway for Bearer abc.def.ghi ${"x".repeat(2000)}</body></html>`;
    mock.override(MATCH, { status: 502, body: page, contentType: "text/html" });
    const r = await hosts().queryDevicesByFilterScroll();
    expectErrorShape(r, 502, /^HTTP 502: <html> <body>Bad gateway for Bearer \*\*REDACTED\*\* x+\.\.\.$/);
    expect(r.body.errors[0]!.message.length).toBeLessThan(600);
  });
});

describe("errorBodyOf (pure)", () => {
  it("shapes every kind of failure body", () => {
    expect(errorBodyOf(500, undefined)).toEqual({
      meta: {},
      errors: [{ code: 500, message: "HTTP 500" }],
      resources: [],
    });
    expect(errorBodyOf(502, new Uint8Array(3))).toEqual({
      meta: {},
      errors: [{ code: 502, message: "HTTP 502 (3 bytes)" }],
      resources: [],
    });
    expect(errorBodyOf(400, { errors: ["plain", { id: "x" }], meta: [], resources: "no" })).toEqual({
      meta: {},
      errors: [
        { code: 400, message: "plain" },
        { code: 400, id: "x", message: '{"id":"x"}' },
      ],
      resources: [],
    });
    expect(errorBodyOf(409, { message: "conflict" }).errors).toEqual([{ code: 409, message: "conflict" }]);
  });
});
