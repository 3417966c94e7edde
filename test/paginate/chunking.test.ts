/**
 * ID chunking and hydration against the mock: calls over an operation's per-call maximum (or the
 * 8 KB URL bound) split, sent a few at a time and merged in input order; `.details()` fetches
 * the records of every id a query yields in ceil(n / maximum) calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AdmissionControlPolicies } from "../../generated/admission-control-policies/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import type { MockFalcon } from "../../mock/server.js";
import { APIError, PayloadValidationError } from "../../runtime/errors.js";
import { MAX_URL_LENGTH, mergeResults, splitIds } from "../../runtime/paginate/chunk.js";
import { expectOk } from "../support/expect-ok.js";
import { CREDS, requestsOf, startPagingMock } from "./mock.js";

let mock: MockFalcon;
beforeAll(async () => {
  ({ mock } = await startPagingMock({ count: (id) => (id === "QueryDevicesByFilterScroll" ? 12_000 : 25) }));
});
afterAll(() => mock?.close());
beforeEach(() => {
  mock.clearLog();
  mock.clearFaults();
});

const opts = () => ({ ...CREDS, baseUrl: mock.url });
const ids = (n: number, prefix = "aid") =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, "0")}`);

describe("chunking", () => {
  it("250 ids for GetDeviceDetailsV2 (100 per call): 3 requests, one merged result in input order", async () => {
    const hosts = new Hosts(opts());
    const asked = ids(250);
    const r = await hosts.getDeviceDetailsV2({ ids: asked });
    expectOk(r);
    expect(r.body.resources!.map((d) => d.device_id)).toEqual(asked);
    const sent = requestsOf(mock, "GetDeviceDetailsV2");
    expect(sent.map((q) => q.searchParams.getAll("ids").length)).toEqual([100, 100, 50]);
    expect(sent.every((q) => q.status === 200)).toBe(true);
    // query_time summed over the chunks
    expect(r.body.meta.query_time).toBeCloseTo(0.003, 6);
  });

  it("chunking runs before validation: each chunk is validated (the spec's maxItems 100 holds per chunk)", async () => {
    const hosts = new Hosts({ ...opts(), validatePayloads: true });
    const r = await hosts.getDeviceDetailsV2({ ids: ids(250) });
    expect(r.status_code).toBe(200);
    expect(r.body.resources).toHaveLength(250);
    // unsplit, the same ids fail validation and nothing is sent
    await expect(hosts.getDeviceDetailsV2({ ids: ids(250) }, { chunk: false })).rejects.toThrow(
      /GetDeviceDetailsV2: invalid arguments: .*ids/,
    );
    expect(requestsOf(mock, "GetDeviceDetailsV2")).toHaveLength(3);
  });

  it("a comma-joined ids string splits the same way", async () => {
    const hosts = new Hosts(opts());
    const r = await hosts.getDeviceDetailsV2({ ids: ids(150).join(",") });
    expect(r.body.resources).toHaveLength(150);
    expect(requestsOf(mock, "GetDeviceDetailsV2")).toHaveLength(2);
  });

  it("a body-ids operation: 12,000 ids for PostDeviceDetailsV2 (5,000 per call) -> 3 requests", async () => {
    const hosts = new Hosts(opts());
    const asked = ids(12_000);
    const r = await hosts.postDeviceDetailsV2({ ids: asked });
    expectOk(r);
    expect(r.body.resources!.map((d) => d.device_id)).toEqual(asked);
    expect(requestsOf(mock, "PostDeviceDetailsV2").map((q) => (q.body as { ids: string[] }).ids.length)).toEqual([
      5000, 5000, 2000,
    ]);
  });

  it("chunk: false sends the ids as given (and the API refuses them)", async () => {
    const hosts = new Hosts(opts());
    const r = await hosts.getDeviceDetailsV2({ ids: ids(150) }, { chunk: false });
    expect(r.status_code).toBe(400);
    expect(requestsOf(mock, "GetDeviceDetailsV2")).toHaveLength(1);
  });

  it("keeps every URL under 8 KB where the operation states no maximum", async () => {
    const hosts = new Hosts(opts());
    const long = ids(600, "x".repeat(40));
    const r = await hosts.getDeviceDetailsV1({ ids: long });
    expect(r.body.resources!.map((d) => (d as { id: string }).id)).toEqual(long);
    const sent = requestsOf(mock, "GetDeviceDetailsV1");
    expect(sent.length).toBeGreaterThan(1);
    for (const q of sent) expect(`${mock.url}${q.path}?${q.query}`.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
  });

  it("a partial failure: highest status, resources of the chunks that worked, errors concatenated; object mode throws APIError with that body", async () => {
    const failing = (r: { operationId?: string; searchParams: URLSearchParams }) =>
      r.operationId === "GetDeviceDetailsV2" && r.searchParams.getAll("ids").includes("aid-00150");
    mock.override(failing, {
      status: 404,
      body: { meta: {}, errors: [{ code: 404, message: "not found" }], resources: [] },
    });
    const dict = await new Hosts(opts()).getDeviceDetailsV2({ ids: ids(250) });
    expect(dict.status_code).toBe(404);
    expect(dict.body.resources).toHaveLength(150);
    expect(dict.body.errors).toEqual([{ code: 404, message: "not found" }]);
    const obj = new Hosts<true>({ ...opts(), pythonic: true });
    const err = await obj.getDeviceDetailsV2({ ids: ids(250) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(404);
    expect((err as APIError).message).toMatch(/1 of 3 chunks: not found/);
    expect(((err as APIError).body as { resources: unknown[] }).resources).toHaveLength(150);
  });

  it("a mutating operation over its maximum is a PayloadValidationError unless chunk: {} is explicit", async () => {
    const policies = new AdmissionControlPolicies(opts());
    const err = await policies.admissionControlDeletePolicies({ ids: ids(150) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadValidationError);
    expect((err as Error).message).toMatch(
      /150 ids exceed admission_control_delete_policies's maximum of 100 per call.*chunk: \{\}/,
    );
    expect(requestsOf(mock, "admission_control_delete_policies")).toHaveLength(0);
    const r = await policies.admissionControlDeletePolicies({ ids: ids(150) }, { chunk: {} });
    expect(r.status_code).toBeLessThan(300);
    expect(
      requestsOf(mock, "admission_control_delete_policies").map((q) => q.searchParams.getAll("ids").length),
    ).toEqual([100, 50]);
  });

  it("a bad concurrency is a typed error, nothing sent", async () => {
    const hosts = new Hosts(opts());
    await expect(hosts.getDeviceDetailsV2({ ids: ids(150) }, { chunk: { concurrency: 0 } })).rejects.toThrow(
      /invalid option chunk.concurrency: a whole number >= 1, got 0/,
    );
    expect(requestsOf(mock, "GetDeviceDetailsV2")).toHaveLength(0);
  });

  it("concurrency bounds the calls in flight", async () => {
    const hosts = new Hosts(opts());
    mock.delay(30, { match: "GetDeviceDetailsV2" });
    await hosts.getDeviceDetailsV2({ ids: ids(600) }, { chunk: { concurrency: 2 } });
    const sent = requestsOf(mock, "GetDeviceDetailsV2");
    expect(sent).toHaveLength(6);
    // at most 2 in flight: the 3rd request arrives after the 1st answered (~30 ms)
    const t = sent.map((q) => q.receivedAt);
    expect(t[2]! - t[0]!).toBeGreaterThanOrEqual(25);
  });
});

describe("splitIds and mergeResults (pure)", () => {
  it("splits by count and by URL budget", () => {
    expect(splitIds([1, 2, 3, 4, 5], 2, undefined, 0)).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitIds(["aaaa", "bbbb", "cccc"], 10, 10, 1)).toEqual([["aaaa", "bbbb"], ["cccc"]]);
  });
  it("merges bodies: first meta, summed query_time, highest status, last headers, ok false when any failed", () => {
    const m = mergeResults([
      {
        status_code: 200,
        headers: { a: "1" },
        body: { meta: { query_time: 1, trace_id: "t1" }, resources: [1], errors: [] },
        ok: true,
      } as never,
      { status_code: 500, headers: { a: "2" }, body: "<html>bad gateway</html>", ok: false } as never,
    ]);
    expect(m).toEqual({
      status_code: 500,
      headers: { a: "2" },
      body: {
        meta: { query_time: 1, trace_id: "t1" },
        resources: [1],
        errors: [{ code: 500, message: "<html>bad gateway</html>" }],
      },
      ok: false,
    });
  });
});

describe("hydration", () => {
  it(".details(): the device records of every id, ceil(n / page size) queries and ceil(n / 5,000) PostDeviceDetailsV2 calls", async () => {
    const hosts = new Hosts(opts());
    const seen: string[] = [];
    for await (const device of hosts.paginate
      .queryDevicesByFilterScroll({ filter: "platform_name:'Windows'" })
      .details())
      seen.push(device.device_id!);
    expect(seen).toHaveLength(12_000);
    expect(seen[0]).toBe("QueryDevicesByFilterScroll-000000");
    expect(seen[11_999]).toBe("QueryDevicesByFilterScroll-011999");
    expect(requestsOf(mock, "QueryDevicesByFilterScroll")).toHaveLength(2);
    expect(requestsOf(mock, "PostDeviceDetailsV2").map((q) => (q.body as { ids: string[] }).ids.length)).toEqual([
      5000, 5000, 2000,
    ]);
  });

  it("a failed details call throws in both modes with the records yielded and the ids it asked for", async () => {
    const hosts = new Hosts(opts());
    mock.override(
      (r) =>
        r.operationId === "PostDeviceDetailsV2" &&
        (r.body as { ids?: string[] })?.ids?.[0] === "QueryDevicesByFilterScroll-005000",
      {
        status: 500,
        body: { meta: {}, errors: [{ code: 500, message: "boom" }], resources: [] },
      },
    );
    let seen = 0;
    const err = await (async () => {
      for await (const d of hosts.paginate.queryDevicesByFilterScroll().details()) if (d) seen++;
    })().catch((e: unknown) => e as APIError);
    expect(err).toBeInstanceOf(APIError);
    expect(err!.status).toBe(500);
    expect(seen).toBe(5000);
    expect(err!.pagination).toMatchObject({ operation: "PostDeviceDetailsV2", itemsYielded: 5000 });
    const resumeIds = err!.pagination!.resumeArgs.ids as string[];
    expect(resumeIds).toHaveLength(5000);
    expect(resumeIds[0]).toBe("QueryDevicesByFilterScroll-005000");
  });

  it(".details(fn) takes any (ids) => call; its chunking applies", async () => {
    const hosts = new Hosts(opts());
    const records = [];
    for await (const d of hosts.paginate
      .queryDevicesByFilterScroll({ limit: 250 }, { maxItems: 500 })
      .details((batch) => hosts.getDeviceDetailsV2({ ids: batch })))
      records.push(d);
    expect(records).toHaveLength(500);
    expect(requestsOf(mock, "GetDeviceDetailsV2")).toHaveLength(6);
  });

  it("the uber class hydrates too (details paired by the operation table)", async () => {
    const { APIHarnessV2 } = await import("../../generated/uber.js");
    const falcon = new APIHarnessV2(opts());
    const first = [];
    for await (const d of falcon.paginate("QueryDevicesByFilterScroll", {}, { maxItems: 3 }).details())
      first.push(d.device_id);
    expect(first).toEqual([
      "QueryDevicesByFilterScroll-000000",
      "QueryDevicesByFilterScroll-000001",
      "QueryDevicesByFilterScroll-000002",
    ]);
  });
});
