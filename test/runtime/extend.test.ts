/**
 * Extensibility (FalconPy's "Extensibility" page): a user subclasses a generated class, adds a
 * method of their own, calls an operation the spec lacks through the protected request path,
 * and overrides a method (its operation-ID alias follows the override). Against the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hosts } from "../../generated/hosts/index.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { ENTITY_FAMILIES } from "../../mock/world.js";
import type { OperationSpec } from "../../runtime/operation.js";
import type { CallOptions } from "../../runtime/options.js";
import type { DictResult, Outcome } from "../../runtime/results.js";
import type { QueryDevicesByFilterArgs, QueryDevicesByFilterResponse } from "../../generated/hosts/args.js";

const creds = { clientId: "ext-id", clientSecret: "ext-secret" };

/** An operation of the real API written by hand, as a user would for a route the spec lacks. */
const GET_DEVICE_DETAILS: OperationSpec = {
  id: "MyGetDeviceDetails",
  method: "GET",
  path: "/devices/entities/devices/v2",
  tag: "hosts",
  params: [{ name: "ids", in: "query", type: "array", items: "string", collectionFormat: "multi", required: true }],
};

class MyHosts extends Hosts {
  readonly seen: string[] = [];
  /** A convenience method of the user's own, built on a generated one. */
  async firstDeviceId(filter: string): Promise<string | undefined> {
    const r = await this.queryDevicesByFilterScroll({ filter, limit: 1 });
    return r.ok ? r.body.resources?.[0] : undefined;
  }
  /** Any operation through the protected request path. */
  detailsByHand(ids: string[]): Promise<DictResult<{ resources?: unknown[] }>> {
    return this.call<DictResult<{ resources?: unknown[] }>>(GET_DEVICE_DETAILS, { ids }, undefined);
  }
  override queryDevicesByFilter<P extends boolean = false, S extends boolean = false>(
    args?: QueryDevicesByFilterArgs,
    options?: CallOptions<P, S>,
  ): Promise<Outcome<QueryDevicesByFilterResponse, P, S>> {
    this.seen.push("queryDevicesByFilter");
    return super.queryDevicesByFilter(args, options);
  }
}

describe("extending a generated service class", () => {
  let mock: MockFalcon;
  beforeAll(async () => {
    mock = await startMockFalcon({ credentials: [creds] });
  });
  afterAll(() => mock?.close());

  it("adds methods, calls hand-written operations, and aliases follow overrides", async () => {
    const hosts = new MyHosts({ ...creds, baseUrl: mock.url });
    expect(typeof (await hosts.firstDeviceId("platform_name:'Windows'"))).toBe("string");
    const [a, b] = mock.world.ids(ENTITY_FAMILIES.hosts);
    const byHand = await hosts.detailsByHand([a!, b!]);
    expect(byHand.status_code).toBe(200);
    const sent = mock.requests.find((r) => r.path === "/devices/entities/devices/v2")!;
    expect(sent.query).toBe(`ids=${a}&ids=${b}`);
    expect(sent.errors).toEqual([]);
    await hosts.QueryDevicesByFilter({ limit: 1 });
    expect(hosts.seen).toEqual(["queryDevicesByFilter"]);
  });
});
