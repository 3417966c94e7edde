/**
 * Every pagination style against the mock's PaginationFlow (finite data, 25 items per
 * operation, pages of 10): each item exactly once and in order across page boundaries, maxItems,
 * an abort mid-page, and `break` (no request after it); both result modes for pages().
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Alerts } from "../../generated/alerts/index.js";
import { CSPMRegistration } from "../../generated/cspm-registration/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { Iocs } from "../../generated/iocs/index.js";
import { SpotlightVulnerabilities } from "../../generated/spotlight-vulnerabilities/index.js";
import type { MockFalcon } from "../../mock/server.js";
import { Result } from "../../runtime/results.js";
import { CREDS, requestsOf, startPagingMock } from "./mock.js";

let mock: MockFalcon;
beforeAll(async () => {
  ({ mock } = await startPagingMock());
});
afterAll(() => mock?.close());
beforeEach(() => mock.clearLog());

const opts = () => ({ ...CREDS, baseUrl: mock.url });
const expected = (id: string, n = 25, asRecords = false) =>
  Array.from({ length: n }, (_, i) =>
    asRecords ? { id: `${id}-${String(i).padStart(6, "0")}` } : `${id}-${String(i).padStart(6, "0")}`,
  );

interface StyleCase {
  readonly style: string;
  readonly operationId: string;
  readonly records: boolean;
  readonly paginator: () => AsyncIterable<unknown> & { pages(): AsyncIterable<unknown>; all(): Promise<unknown[]> };
  readonly withOptions: (o: { maxItems?: number; signal?: AbortSignal }) => AsyncIterable<unknown>;
}

// clients are built when a test runs (the mock's URL is known only then)
const hosts = () => new Hosts(opts());
const alerts = () => new Alerts(opts());
const spotlight = () => new SpotlightVulnerabilities(opts());
const cspm = () => new CSPMRegistration(opts());
const iocs = () => new Iocs(opts());

const cases = (): StyleCase[] => {
  return [
    {
      style: "offset",
      operationId: "QueryDevicesByFilter",
      records: false,
      paginator: () => hosts().paginate.queryDevicesByFilter({ limit: 10 }),
      withOptions: (o) => hosts().paginate.queryDevicesByFilter({ limit: 10 }, o),
    },
    {
      style: "offset-token",
      operationId: "QueryDevicesByFilterScroll",
      records: false,
      paginator: () => hosts().paginate.QueryDevicesByFilterScroll({ limit: 10 }),
      withOptions: (o) => hosts().paginate.queryDevicesByFilterScroll({ limit: 10 }, o),
    },
    {
      style: "after",
      operationId: "queryVulnerabilities",
      records: false,
      paginator: () => spotlight().paginate.queryVulnerabilities({ filter: "status:'open'", limit: 10 }),
      withOptions: (o) => spotlight().paginate.queryVulnerabilities({ filter: "x:1", limit: 10 }, o),
    },
    {
      style: "body-after",
      operationId: "PostCombinedAlertsV1",
      records: true,
      paginator: () => alerts().paginate.postCombinedAlertsV1({ limit: 10, filter: "status:'new'" }),
      withOptions: (o) => alerts().paginate.postCombinedAlertsV1({ limit: 10 }, o),
    },
    {
      style: "next-token",
      operationId: "GetBehaviorDetections",
      records: true,
      paginator: () => cspm().paginate.getBehaviorDetections({ limit: 10 }),
      withOptions: (o) => cspm().paginate.getBehaviorDetections({ limit: 10 }, o),
    },
    {
      style: "next-page",
      operationId: "DevicesRanOn",
      records: false,
      paginator: () => iocs().paginate.devicesRanOn({ type: "domain", value: "example.com", limit: "10" }),
      withOptions: (o) => iocs().paginate.devicesRanOn({ type: "domain", value: "example.com", limit: "10" }, o),
    },
  ];
};

describe.each(cases().map((c) => [c.style, c] as const))("style %s", (_style, c) => {
  it("yields every item exactly once, in order, across page boundaries (3 requests for 25 items in pages of 10)", async () => {
    const items: unknown[] = [];
    for await (const item of c.paginator()) items.push(item);
    expect(items).toEqual(expected(c.operationId, 25, c.records));
    const sent = requestsOf(mock, c.operationId);
    expect(sent).toHaveLength(3);
    expect(sent.every((r) => r.status === 200)).toBe(true);
  });

  it("is lazy and restartable: nothing is sent until iterated; iterating again starts again", async () => {
    const p = c.paginator();
    expect(requestsOf(mock, c.operationId)).toHaveLength(0);
    expect(await p.all()).toHaveLength(25);
    expect(await p.all()).toEqual(expected(c.operationId, 25, c.records));
    expect(requestsOf(mock, c.operationId)).toHaveLength(6);
  });

  it("pages(): one dict result per page", async () => {
    const sizes: number[] = [];
    for await (const page of c.paginator().pages()) {
      const r = page as { status_code: number; body: { resources: unknown[] | { events: unknown[] } } };
      expect(r.status_code).toBe(200);
      // GetBehaviorDetections keeps its items in resources.events
      sizes.push((Array.isArray(r.body.resources) ? r.body.resources : r.body.resources.events).length);
    }
    expect(sizes).toEqual([10, 10, 5]);
  });

  it("maxItems: stops there, and sizes the last page so no more are fetched", async () => {
    const items: unknown[] = [];
    for await (const item of c.withOptions({ maxItems: 13 })) items.push(item);
    expect(items).toEqual(expected(c.operationId, 13, c.records));
    const sent = requestsOf(mock, c.operationId);
    expect(sent).toHaveLength(2);
  });

  it("break: the iterator stops cleanly, no request after the break", async () => {
    const items: unknown[] = [];
    for await (const item of c.paginator()) {
      items.push(item);
      if (items.length === 12) break;
    }
    expect(items).toEqual(expected(c.operationId, 12, c.records));
    expect(requestsOf(mock, c.operationId)).toHaveLength(2);
  });

  it("signal: an abort mid-page stops the iteration with the abort reason and sends nothing more", async () => {
    const ac = new AbortController();
    const items: unknown[] = [];
    const run = async () => {
      for await (const item of c.withOptions({ signal: ac.signal })) {
        items.push(item);
        if (items.length === 4) ac.abort(new Error("stop here"));
      }
    };
    await expect(run()).rejects.toThrow("stop here");
    expect(items).toHaveLength(4);
    expect(requestsOf(mock, c.operationId)).toHaveLength(1);
  });
});

describe("modes and progress", () => {
  it("object mode: pages() yields Result; items are the same; onPage reports progress with the total", async () => {
    const hosts = new Hosts<true>({ ...opts(), pythonic: true });
    const progress: unknown[] = [];
    const pages: unknown[] = [];
    for await (const page of hosts.paginate
      .queryDevicesByFilterScroll({ limit: 10 }, { onPage: (p) => progress.push(p) })
      .pages())
      pages.push(page);
    expect(pages.every((p) => p instanceof Result)).toBe(true);
    expect(progress).toEqual([
      { pages: 1, items: 10, total: 25 },
      { pages: 2, items: 20, total: 25 },
      { pages: 3, items: 25, total: 25 },
    ]);
    // a per-call pythonic: false gives dicts again
    for await (const page of hosts.paginate.queryDevicesByFilterScroll({ limit: 10 }, { pythonic: false }).pages())
      expect(page instanceof Result).toBe(false);
  });

  it("without a limit the page size is the operation's maximum (one request for 25 items)", async () => {
    const hosts = new Hosts(opts());
    expect(await hosts.paginate.queryDevicesByFilterScroll().all()).toHaveLength(25);
    const sent = requestsOf(mock, "QueryDevicesByFilterScroll");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.searchParams.get("limit")).toBe("10000");
  });

  it("a FalconPy-style `parameters` object is paged too (the position replaces its entry)", async () => {
    const hosts = new Hosts(opts());
    const items = await hosts.paginate.queryDevicesByFilter({ parameters: { limit: 10, offset: 0 } }).all();
    expect(items).toEqual(expected("QueryDevicesByFilter"));
  });

  it("an explicit body is paged in the body (body-after)", async () => {
    const alerts = new Alerts(opts());
    const items = await alerts.paginate.postCombinedAlertsV1({ body: { limit: 10, filter: "x" } }).all();
    expect(items).toHaveLength(25);
    const bodies = requestsOf(mock, "PostCombinedAlertsV1").map((r) => r.body as { after?: string; filter?: string });
    expect(bodies.map((b) => b.filter)).toEqual(["x", "x", "x"]);
    expect(bodies[0]!.after).toBeUndefined();
    expect(typeof bodies[1]!.after).toBe("string");
  });
});
