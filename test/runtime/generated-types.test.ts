/**
 * Type tests against the real generated classes (checked by `tsc --noEmit` in CI: every
 * @ts-expect-error line must be an error). The functions are never called.
 */
import { describe, expectTypeOf, it } from "vitest";
import { APIHarnessV2 } from "../../generated/uber.js";
import { Hosts } from "../../generated/hosts/index.js";
import { HostGroup } from "../../generated/host-group/index.js";
import { SampleUploads } from "../../generated/sample-uploads/index.js";
import type { DictResponse, Result } from "../../runtime/results.js";
import type { QueryDevicesByFilterScrollResponse } from "../../generated/hosts/args.js";

describe("generated method and command() typing", () => {
  it("types arguments and results from the spec", () => {
    const hosts = new Hosts({ accessToken: "t" });
    const falcon = new APIHarnessV2({ accessToken: "t" });
    const checks = (): void => {
      expectTypeOf(hosts.queryDevicesByFilterScroll({ limit: 10, filter: "platform_name:'Windows'" })).toEqualTypeOf<
        Promise<DictResponse<QueryDevicesByFilterScrollResponse>>
      >();
      expectTypeOf(hosts.QueryDevicesByFilterScroll({ limit: 10 })).toEqualTypeOf<
        Promise<DictResponse<QueryDevicesByFilterScrollResponse>>
      >();
      expectTypeOf(hosts.queryDevicesByFilterScroll({}, { pythonic: true })).toEqualTypeOf<
        Promise<Result<QueryDevicesByFilterScrollResponse>>
      >();
      expectTypeOf(new Hosts({ pythonic: true }).getDeviceDetailsV2({ ids: ["a"] })).resolves.toHaveProperty(
        "resources",
      );
      expectTypeOf(falcon.command("QueryDevicesByFilterScroll", { limit: 10 })).toEqualTypeOf<
        Promise<DictResponse<QueryDevicesByFilterScrollResponse>>
      >();
      void hosts.performActionV2({ action_name: "contain", ids: ["a"] });
      void new HostGroup().performGroupAction({ action_name: "add-hosts", ids: ["a"] });
      void hosts.performActionV2({ action_name: "contain", body: { ids: ["a"] } });
      void hosts["GetOnlineState.V1"]({ ids: ["a"] });
      void new SampleUploads().uploadSampleV3({ file_data: new Uint8Array([1]), file_name: "a.exe", comment: "c" });
      void falcon.command("GetOnlineState.V1", { ids: ["a"] }); // a deprecated ID
      expectTypeOf(new SampleUploads().getSampleV3({ ids: "a" }, { stream: true })).toEqualTypeOf<
        Promise<DictResponse<ReadableStream<Uint8Array>>>
      >();
      expectTypeOf(new SampleUploads().getSampleV3({ ids: "a" })).toEqualTypeOf<Promise<DictResponse<Uint8Array>>>();
      expectTypeOf(falcon.command("GetSampleV3", { ids: "a" }, { stream: true })).toEqualTypeOf<
        Promise<DictResponse<ReadableStream<Uint8Array>>>
      >();
      expectTypeOf(falcon.command("GetSampleV3", { ids: "a" })).toEqualTypeOf<Promise<DictResponse<Uint8Array>>>();

      // Honest results: the success body only after checking success.
      const honest = async (): Promise<void> => {
        const r = await hosts.queryDevicesByFilterScroll({ limit: 1 });
        // @ts-expect-error a 403 or a refused connection has no string resources
        const unchecked: string[] = r.body.resources;
        if (r.ok) {
          const ids: string[] = r.body.resources;
          void ids;
        } else {
          expectTypeOf(r.body.errors[0]!.message).toEqualTypeOf<string>();
          expectTypeOf(r.body.resources).toEqualTypeOf<unknown[]>();
        }
        if (r.status_code === 200) {
          const ids: string[] = r.body.resources;
          void ids;
        }
        const c = await falcon.command("QueryDevicesByFilterScroll", { limit: 1 });
        // @ts-expect-error the same for command()
        const uncheckedCommand: string[] = c.body.resources;
        if (c.ok) {
          const ids: string[] = c.body.resources;
          void ids;
        }
        // object mode keeps success-only types (it throws on failures)
        const o = await hosts.queryDevicesByFilterScroll({ limit: 1 }, { pythonic: true });
        const fromObject: string[] = o.body.resources;
        void [unchecked, uncheckedCommand, fromObject];
      };
      void honest;

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
