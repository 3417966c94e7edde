/**
 * Where a paginator stops: the 10,000 offset cap (before the request the API would refuse), a
 * failed page (APIError / NetworkError with status, trace id, items yielded and resume args, in
 * both result modes), and an expired scroll token.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { Hosts } from "../../generated/hosts/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import type { MockFalcon } from "../../mock/server.js";
import { APIError, NetworkError, PaginationLimitError, type SDKError } from "../../runtime/errors.js";
import { CREDS, requestsOf, startPagingMock } from "./mock.js";

let mock: MockFalcon;
// the flow reads the token lifetime when it issues a token: the expiry test shortens it
const world = {
  count: (id: string) => (id === "QueryDevicesByFilter" || id === "QueryDevicesByFilterScroll" ? 12_000 : 25),
  tokenLifetimeMs: 120_000,
};
beforeAll(async () => {
  ({ mock } = await startPagingMock(world));
});
afterAll(() => mock?.close());
beforeEach(() => {
  mock.clearLog();
  mock.clearFaults();
});

const opts = () => ({ ...CREDS, baseUrl: mock.url });

async function caught(run: () => Promise<unknown>): Promise<SDKError> {
  try {
    await run();
  } catch (err) {
    return err as SDKError;
  }
  throw new Error("expected the iteration to throw");
}

describe("the 10,000 offset cap", () => {
  it("stops with PaginationLimitError naming the operation and the scroll alternative, before the refused request", async () => {
    const hosts = new Hosts(opts());
    let count = 0;
    const err = await caught(async () => {
      for await (const id of hosts.paginate.queryDevicesByFilter({ limit: 3000 })) {
        void id;
        count++;
      }
    });
    expect(err).toBeInstanceOf(PaginationLimitError);
    const limit = err as PaginationLimitError;
    expect(limit.reason).toBe("offset-cap");
    expect(limit.operation).toBe("QueryDevicesByFilter");
    expect(limit.alternative).toBe("QueryDevicesByFilterScroll");
    expect(limit.message).toMatch(/QueryDevicesByFilter: .*10,000.*QueryDevicesByFilterScroll/);
    expect(count).toBe(10_000);
    expect(limit.pagination).toMatchObject({ operation: "QueryDevicesByFilter", pages: 4, itemsYielded: 10_000 });
    // 0+3000, 3000+3000, 6000+3000, then 9000 with the limit cut to 1000: never offset + limit > 10,000
    const sent = requestsOf(mock, "QueryDevicesByFilter");
    expect(sent.map((r) => [r.searchParams.get("offset"), r.searchParams.get("limit")])).toEqual([
      ["0", "3000"],
      ["3000", "3000"],
      ["6000", "3000"],
      ["9000", "1000"],
    ]);
    expect(sent.every((r) => r.status === 200)).toBe(true);
  });

  it("a maxItems at or under the cap never hits it", async () => {
    const hosts = new Hosts(opts());
    const ids = await hosts.paginate.queryDevicesByFilter({ limit: 5000 }, { maxItems: 10_000 }).all();
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect(requestsOf(mock, "QueryDevicesByFilter")).toHaveLength(2);
  });

  it("the scroll alternative pages past it", async () => {
    const hosts = new Hosts(opts());
    const ids = await hosts.paginate.queryDevicesByFilterScroll({ limit: 5000 }).all();
    expect(ids).toHaveLength(12_000);
    expect(requestsOf(mock, "QueryDevicesByFilterScroll")).toHaveLength(3);
  });
});

describe("a failed page", () => {
  const secondPage = (r: { operationId?: string; searchParams: URLSearchParams }) =>
    r.operationId === "QueryDevicesByFilterScroll" && r.searchParams.has("offset");

  for (const pythonic of [false, true]) {
    it(`throws APIError with status, trace id, items yielded and resume args (${pythonic ? "object" : "dict"} mode), and the resume args go on`, async () => {
      const hosts = new Hosts({ ...opts(), pythonic });
      mock.override(
        secondPage,
        {
          status: 403,
          body: { meta: { trace_id: "trace-403" }, errors: [{ code: 403, message: "access denied" }], resources: [] },
        },
        { times: 1 },
      );
      const got: unknown[] = [];
      const err = await caught(async () => {
        for await (const id of hosts.paginate.queryDevicesByFilterScroll({
          limit: 5000,
          filter: "platform_name:'Windows'",
        }))
          got.push(id);
      });
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).status).toBe(403);
      expect(err.message).toMatch(/access denied/);
      const state = err.pagination!;
      expect(state).toMatchObject({
        operation: "QueryDevicesByFilterScroll",
        pages: 1,
        itemsYielded: 5000,
        status: 403,
      });
      expect(state.traceId).toMatch(/\S/);
      expect(state.resumeArgs).toMatchObject({ filter: "platform_name:'Windows'", limit: 5000 });
      expect(typeof state.resumeArgs.offset).toBe("string");
      const rest = await hosts.paginate.queryDevicesByFilterScroll(state.resumeArgs).all();
      expect([...got, ...rest]).toHaveLength(12_000);
      expect(new Set([...got, ...rest]).size).toBe(12_000);
    });
  }

  it("a network failure throws NetworkError in dict mode too, with the pagination state", async () => {
    const hosts = new Hosts({ ...opts(), retries: 0 });
    mock.resetConnection({ match: secondPage, times: 1 });
    const err = await caught(() => hosts.paginate.queryDevicesByFilterScroll({ limit: 5000 }).all());
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.pagination).toMatchObject({ operation: "QueryDevicesByFilterScroll", pages: 1, itemsYielded: 5000 });
    expect(err.pagination!.resumeArgs.offset).toEqual(expect.any(String));
  });
});

describe("expiring scroll tokens", () => {
  it("a consumer slower than the token's lifetime gets a clear 'pagination token expired' error, nothing sent", async () => {
    world.tokenLifetimeMs = 300;
    onTestFinished(() => {
      world.tokenLifetimeMs = 120_000;
    });
    const hosts = new Hosts(opts());
    const err = await caught(async () => {
      for await (const page of hosts.paginate.queryDevicesByFilterScroll({ limit: 5000 }).pages()) {
        void page;
        await new Promise((r) => setTimeout(r, 400));
      }
    });
    expect(err).toBeInstanceOf(PaginationLimitError);
    expect((err as PaginationLimitError).reason).toBe("token-expired");
    expect(err.message).toMatch(/pagination token expired/);
    expect(requestsOf(mock, "QueryDevicesByFilterScroll")).toHaveLength(1);
  });
});

describe("APIHarnessV2.paginate", () => {
  it("pages any paginated operation by its ID, with the same options", async () => {
    const falcon = new APIHarnessV2(opts());
    const ids = await falcon.paginate("QueryDevicesByFilterScroll", { limit: 5000 }, { maxItems: 7000 }).all();
    expect(ids).toHaveLength(7000);
    expect(requestsOf(mock, "QueryDevicesByFilterScroll").map((r) => r.searchParams.get("limit"))).toEqual([
      "5000",
      "2000",
    ]);
  });

  it("an operation that does not page is a clear error on first use", async () => {
    const falcon = new APIHarnessV2(opts());
    // @ts-expect-error GetDeviceDetailsV2 is not paginated
    await expect(falcon.paginate("GetDeviceDetailsV2", { ids: ["a"] }).all()).rejects.toThrow(
      /GetDeviceDetailsV2 is not a paginated operation/,
    );
  });
});
