/**
 * Type tests for paginators: checked by `tsc --noEmit` (each @ts-expect-error must be an error,
 * or the type-check fails); the runtime part only confirms the file loads.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { GetBehaviorDetectionsResponse } from "../../generated/cspm-registration/args.js";
import { CSPMRegistration } from "../../generated/cspm-registration/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import type { PostDeviceDetailsV2Response, QueryDevicesByFilterScrollResponse } from "../../generated/hosts/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import type { Paginator } from "../../runtime/paginate/paginator.js";
import type { Result, SuccessResult } from "../../runtime/results.js";

type Device = NonNullable<PostDeviceDetailsV2Response["resources"]>[number];
// GetBehaviorDetections keeps its items in resources.events (the table's `items` path)
type Detection = NonNullable<NonNullable<GetBehaviorDetectionsResponse["resources"]>["events"]>[number];

describe("paginator typing", () => {
  it("items, pages and details flow from the operation", () => {
    const hosts = new Hosts({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const falcon = new APIHarnessV2({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const check = async (): Promise<void> => {
      const p = hosts.paginate.queryDevicesByFilterScroll({ filter: "x" });
      expectTypeOf(p).toEqualTypeOf<Paginator<string, SuccessResult<QueryDevicesByFilterScrollResponse>, Device>>();
      for await (const id of p) expectTypeOf(id).toEqualTypeOf<string>();
      for await (const page of p.pages())
        expectTypeOf(page).toEqualTypeOf<SuccessResult<QueryDevicesByFilterScrollResponse>>();
      expectTypeOf(await p.all()).toEqualTypeOf<string[]>();
      for await (const device of p.details()) expectTypeOf(device).toEqualTypeOf<Device>();
      // the operation-ID alias is the same paginator
      expectTypeOf(hosts.paginate.QueryDevicesByFilterScroll).toEqualTypeOf(hosts.paginate.queryDevicesByFilterScroll);
      // object mode per call: pages are Result
      for await (const page of hosts.paginate.queryDevicesByFilterScroll({}, { pythonic: true }).pages())
        expectTypeOf(page).toEqualTypeOf<Result<QueryDevicesByFilterScrollResponse>>();
      // .details(fn): items from what fn resolves to
      for await (const d of p.details((ids) => hosts.getDeviceDetailsV2({ ids })))
        expectTypeOf(d).toEqualTypeOf<Device>();
      // APIHarnessV2: typed by the ID
      for await (const d of falcon.paginate("QueryDevicesByFilterScroll", { limit: 10 }).details())
        expectTypeOf(d).toEqualTypeOf<Device>();
      for await (const d of falcon.paginate("GetBehaviorDetections")) expectTypeOf(d).toEqualTypeOf<Detection>();
      const cspm = new CSPMRegistration({ accessToken: "t" });
      for await (const d of cspm.paginate.getBehaviorDetections()) expectTypeOf(d).toEqualTypeOf<Detection>();

      // @ts-expect-error a non-paginated method is not under paginate
      void hosts.paginate.getDeviceDetailsV2;
      // @ts-expect-error nor is a mutating one
      void hosts.paginate.performActionV2;
      // @ts-expect-error a wrong option fails
      void hosts.paginate.queryDevicesByFilterScroll({}, { maxItem: 10 });
      // @ts-expect-error a wrong option type fails
      void hosts.paginate.queryDevicesByFilterScroll({}, { maxItems: "10" });
      // @ts-expect-error a misspelt argument fails
      void hosts.paginate.queryDevicesByFilterScroll({ filtr: "x" });
      // @ts-expect-error APIHarnessV2.paginate takes paginated IDs only
      void falcon.paginate("GetDeviceDetailsV2", { ids: ["a"] });
      // @ts-expect-error required arguments stay required (DevicesRanOn needs type and value)
      void falcon.paginate("DevicesRanOn");
    };
    void check;
  });
});
