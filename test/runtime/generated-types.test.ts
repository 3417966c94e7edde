/**
 * Type tests against the real generated classes (checked by `tsc --noEmit` in CI: every
 * @ts-expect-error line must be an error). The functions are never called.
 */
import { describe, expectTypeOf, it } from "vitest";
import { APIHarnessV2 } from "../../generated/uber.js";
import { Hosts } from "../../generated/hosts/index.js";
import { HostGroup } from "../../generated/host-group/index.js";
import { SampleUploads } from "../../generated/sample-uploads/index.js";
import type { DictResult, Result } from "../../runtime/results.js";
import type { QueryDevicesByFilterScrollResponse } from "../../generated/hosts/args.js";

describe("generated method and command() typing", () => {
  it("types arguments and results from the spec", () => {
    const hosts = new Hosts({ accessToken: "t" });
    const falcon = new APIHarnessV2({ accessToken: "t" });
    const checks = (): void => {
      expectTypeOf(hosts.queryDevicesByFilterScroll({ limit: 10, filter: "platform_name:'Windows'" })).toEqualTypeOf<
        Promise<DictResult<QueryDevicesByFilterScrollResponse>>
      >();
      expectTypeOf(hosts.QueryDevicesByFilterScroll({ limit: 10 })).toEqualTypeOf<Promise<DictResult<QueryDevicesByFilterScrollResponse>>>();
      expectTypeOf(hosts.queryDevicesByFilterScroll({}, { pythonic: true })).toEqualTypeOf<Promise<Result<QueryDevicesByFilterScrollResponse>>>();
      expectTypeOf(new Hosts({ pythonic: true }).getDeviceDetailsV2({ ids: ["a"] })).resolves.toHaveProperty("resources");
      expectTypeOf(falcon.command("QueryDevicesByFilterScroll", { limit: 10 })).toEqualTypeOf<Promise<DictResult<QueryDevicesByFilterScrollResponse>>>();
      void hosts.performActionV2({ action_name: "contain", ids: ["a"] });
      void new HostGroup().performGroupAction({ action_name: "add-hosts", ids: ["a"] });
      void hosts.performActionV2({ action_name: "contain", body: { ids: ["a"] } });
      void hosts["GetOnlineState.V1"]({ ids: ["a"] });
      void new SampleUploads().uploadSampleV3({ file_data: new Uint8Array([1]), file_name: "a.exe", comment: "c" });
      void falcon.command("GetOnlineState.V1", { ids: ["a"] }); // a deprecated ID
      expectTypeOf(new SampleUploads().getSampleV3({ ids: "a" }, { stream: true })).toEqualTypeOf<Promise<DictResult<ReadableStream<Uint8Array>>>>();
      expectTypeOf(new SampleUploads().getSampleV3({ ids: "a" })).toEqualTypeOf<Promise<DictResult<Uint8Array>>>();
      expectTypeOf(falcon.command("GetSampleV3", { ids: "a" }, { stream: true })).toEqualTypeOf<Promise<DictResult<ReadableStream<Uint8Array>>>>();
      expectTypeOf(falcon.command("GetSampleV3", { ids: "a" })).toEqualTypeOf<Promise<DictResult<Uint8Array>>>();

      // @ts-expect-error misspelt query key
      void hosts.queryDevicesByFilterScroll({ limt: 10 });
      // @ts-expect-error wrong value type
      void hosts.queryDevicesByFilterScroll({ limit: "10" });
      // @ts-expect-error wrong enum value
      void new HostGroup().performGroupAction({ action_name: "explode", ids: ["a"] });
      // @ts-expect-error missing required body field (ids)
      void hosts.performActionV2({ action_name: "contain", body: { action_parameters: [] } });
      // @ts-expect-error missing required query parameter
      void hosts.getDeviceDetailsV2({});
      // required query parameters may come in `parameters` instead (FalconPy style)
      void hosts.getDeviceDetailsV2({ parameters: { ids: ["a"] } });
      void falcon.command("GetDeviceDetailsV2", { parameters: { ids: ["a"] } });
      void new HostGroup().performGroupAction({ parameters: { action_name: "add-hosts" }, ids: ["a"] });
      // @ts-expect-error ... but not nowhere
      void hosts.getDeviceDetailsV2({ parameters: {} });
      // @ts-expect-error misspelt key next to `parameters`
      void hosts.getDeviceDetailsV2({ parameters: { ids: ["a"] }, idz: ["a"] });
      // @ts-expect-error wrong value type in `parameters`
      void hosts.getDeviceDetailsV2({ parameters: { ids: 5 } });
      // @ts-expect-error misspelt key through command()
      void falcon.command("QueryDevicesByFilterScroll", { limt: 10 });
      // @ts-expect-error wrong operation ID
      void falcon.command("QueryDevicesByFilterScrolll", { limit: 10 });
    };
    void checks;
  });
});
