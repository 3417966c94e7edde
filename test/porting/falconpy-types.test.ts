/**
 * Type tests for the FalconPy porting surface, checked by `tsc --noEmit` in strict mode (each
 * @ts-expect-error must be an error, or typecheck fails): FalconPy-name aliases are typed
 * exactly like the methods they alias, positional ids are accepted where FalconPy takes them
 * and only there, convenience keywords are typed from the body field they fill, and the
 * FalconPy members have FalconPy's types. The runtime part checks the same facts on objects.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type Alerts,
  APIError,
  APIHarness,
  APIHarnessV2,
  BaseURL,
  DeprecatedOperation,
  Hosts,
  type HostGroup,
  InvalidCredentials,
  InvalidOperation,
  type IOC,
  KeywordsOnly,
  NoContentWarning,
  PayloadValidationError,
  type RealTimeResponse,
  type SDKError,
  SDKWarning,
  type SensorUpdatePolicy,
  type UserManagement,
  version,
  type DictResponse,
  type DictResult,
  type Result,
} from "../../generated/index.js";

const options = { accessToken: "t", baseUrl: "http://127.0.0.1:9" };

describe("FalconPy porting types", () => {
  it("FalconPy-name aliases have exactly the type of the method they alias", () => {
    const hosts = new Hosts(options);
    const check = (): void => {
      expectTypeOf<Hosts["getDeviceDetails"]>().toEqualTypeOf<Hosts["postDeviceDetailsV2"]>();
      expectTypeOf<Hosts["queryDevices"]>().toEqualTypeOf<Hosts["queryDevicesByFilterScroll"]>();
      expectTypeOf<Hosts["performAction"]>().toEqualTypeOf<Hosts["performActionV2"]>();
      expectTypeOf<Hosts<true>["getDeviceDetails"]>().toEqualTypeOf<Hosts<true>["postDeviceDetailsV2"]>();
      expectTypeOf<RealTimeResponse["batchGetCommand"]>().toEqualTypeOf<RealTimeResponse["batchGetCmd"]>();
      expectTypeOf<Alerts["updateAlertsV3"]>().toEqualTypeOf<Alerts["patchEntitiesAlertsV3"]>();
      expectTypeOf<UserManagement["queryUsers"]>().toEqualTypeOf<UserManagement["queryUserV1"]>();
      // a PascalCase FalconPy alias keeps its spelling
      expectTypeOf<Hosts["GetDeviceDetails"]>().toEqualTypeOf<Hosts["postDeviceDetailsV2"]>();
      // the result type follows the mode
      expectTypeOf(hosts.getDeviceDetails(["a"], { pythonic: true })).toExtend<Promise<Result<unknown>>>();
      // @ts-expect-error a FalconPy name that collides keeps FalconTS's meaning: IOC.devicesCount is DevicesCount's method
      expectTypeOf<IOC["devicesCount"]>().toEqualTypeOf<IOC["indicatorGetDeviceCountV1"]>();
      // @ts-expect-error there is no such FalconPy name
      void hosts.getDeviceDetailz;
    };
    void check;
    expect(typeof hosts.getDeviceDetails).toBe("function");
  });

  it("ids go positionally where they are the only required input, and nowhere else", () => {
    const hosts = new Hosts(options);
    const uber = new APIHarnessV2(options);
    const check = (): void => {
      void hosts.getDeviceDetails("a,b");
      void hosts.getDeviceDetails(["a", "b"]);
      void hosts.getDeviceDetailsV2("a,b");
      void hosts.getDeviceDetails({ ids: ["a"] });
      void hosts.getDeviceDetails("a", { pythonic: true });
      void uber.command("GetDeviceDetailsV2", "a,b");
      void uber.command("PostDeviceDetailsV2", ["a"]);
      // @ts-expect-error PerformActionV2 also requires action_name: keywords only
      void hosts.performAction("a,b");
      // @ts-expect-error QueryDevicesByFilterScroll takes no ids
      void hosts.queryDevices("a,b");
      // @ts-expect-error the keyword form of command() is an object of keywords
      void uber.command({ action: "GetDeviceDetailsV2", ...["a"] });
      // @ts-expect-error ids are strings
      void hosts.getDeviceDetails([1, 2]);
    };
    void check;
    expect(uber).toBeInstanceOf(APIHarnessV2);
  });

  it("comma-separated strings for body lists, convenience keywords typed from the body", () => {
    const check = (alerts: Alerts, groups: HostGroup, ioc: IOC, policies: SensorUpdatePolicy, hosts: Hosts): void => {
      void hosts.performAction({ action_name: "contain", ids: "a,b" });
      void alerts.updateAlertsV3({ composite_ids: "c1,c2", update_status: "closed", append_comment: "done" });
      void groups.performGroupAction({ action_name: "add-hosts", ids: "g1", filter: "hostname:'x'" });
      void ioc.indicatorCreate({
        type: "domain",
        value: "evil.example",
        action: "detect",
        platforms: "windows,mac",
        applied_globally: true,
        filename: "x.exe",
      });
      void policies.createPoliciesV2({
        name: "n",
        platform_name: "Windows",
        build: "n-1",
        uninstall_protection: "ENABLED",
      });
      // @ts-expect-error update_status is a string (action_parameters[].value)
      void alerts.updateAlertsV3({ composite_ids: ["c1"], update_status: 1 });
      // @ts-expect-error applied_globally is a boolean in the indicator
      void ioc.indicatorCreate({ type: "domain", value: "v", applied_globally: "yes" });
      // @ts-expect-error an unknown keyword is still an error
      void alerts.updateAlertsV3({ composite_ids: ["c1"], update_statuz: "closed" });
      // @ts-expect-error stream is a call option: the second argument
      void hosts.getDeviceDetails({ ids: ["a"], stream: true });
    };
    void check;
    expect(typeof check).toBe("function");
  });

  it("FalconPy's members: attributes and methods with FalconPy's types", () => {
    const hosts = new Hosts(options);
    const uber = new APIHarnessV2(options);
    expectTypeOf(hosts.tokenValue).toEqualTypeOf<string | undefined>();
    expectTypeOf(hosts.tokenStatus).toEqualTypeOf<number | undefined>();
    expectTypeOf(hosts.tokenExpired()).toEqualTypeOf<boolean>();
    expectTypeOf(hosts.authenticated()).toEqualTypeOf<boolean>();
    expectTypeOf(hosts.auth.authenticated()).toEqualTypeOf<boolean>();
    expectTypeOf(hosts.login()).toEqualTypeOf<Promise<DictResult<unknown>>>();
    expectTypeOf(hosts.childLogin("cid")).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(hosts.childLogout()).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(hosts.headers).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(hosts.override("GET", "/x/v1")).toEqualTypeOf<Promise<DictResponse<unknown>>>();
    expectTypeOf(uber.commands).toEqualTypeOf<readonly string[]>();
    expectTypeOf(uber.creds).toEqualTypeOf<{ client_id: string; member_cid?: string } | undefined>();
    expect([hosts.tokenValue, hosts.refreshable, hosts.validatePayloads, hosts.sslVerify]).toEqual([
      "t",
      false,
      false,
      true,
    ]);
    expect(hosts.creds).toBeUndefined();
    expect(hosts.baseUrl).toBe("http://127.0.0.1:9");
    expect(uber.commands).toContain("QueryDevicesByFilterScroll");
    expect(new APIHarness(options)).toBeInstanceOf(APIHarnessV2);
    expect(BaseURL.US2).toBe("api.us-2.crowdstrike.com");
    expect(typeof version()).toBe("string");
    expect(version("0.0.1")).toBe(true);
    expect(version("999.0")).toBe(false);
  });

  it("SDKError.code is a number as FalconPy's; warnings are classes", () => {
    expectTypeOf<SDKError["code"]>().toEqualTypeOf<number>();
    expect(new APIError(404, "nope").code).toBe(404);
    expect(new InvalidCredentials("x").code).toBe(403);
    expect(new PayloadValidationError("Op", []).code).toBe(400);
    expect(new InvalidOperation("x").code).toBe(418);
    expect(new KeywordsOnly("x").code).toBe(500);
    expect(new InvalidCredentials("x").name).toBe("InvalidCredentials");
    const warning = new NoContentWarning("empty");
    expect(warning).toBeInstanceOf(SDKWarning);
    expect([warning.name, warning.code]).toEqual(["NoContentWarning", 204]);
    expect(new DeprecatedOperation("old").code).toBe(299);
  });
});
