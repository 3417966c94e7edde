/**
 * Type tests on the real generated classes, checked by `npm run typecheck` (TS 7): every
 * @ts-expect-error line must be an error, and the correct calls must compile. The messages
 * themselves are asserted in generator.test.ts (TS 5.9's API on the fixture spec).
 */
import { describe, expect, it } from "vitest";
import { APIHarnessV2, Hosts, RealTimeResponse } from "../../generated/index.js";

describe("generated argument types", () => {
  it("require what the API requires, and no more", () => {
    const hosts = new Hosts({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const rtr = new RealTimeResponse({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const uber = new APIHarnessV2({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const check = (): void => {
      // Keyword form, FalconPy's `parameters` / `body` forms, and FalconPy's documented calls.
      void hosts.performActionV2({ action_name: "contain", ids: ["a"] });
      void hosts.performActionV2({ action_name: "detection_suppress", body: { ids: ["a"] } });
      void hosts.performActionV2({ parameters: { action_name: "lift_containment" }, ids: ["a"] });
      void rtr.rtrInitSession({ device_id: "a" }); // origin and queue_offline are optional
      void rtr.rtrInitSession({ body: { device_id: "a", queue_offline: true } });
      void uber.command("RTR_ExecuteCommand", { base_command: "ls", command_string: "ls", session_id: "s" });
      void uber.command("GetDeviceDetailsV2", { parameters: { ids: ["a"] } });
      void uber.command({ action: "QueryDevicesByFilterScroll", limit: 1 });
      void uber.command({ override: "GET,/devices/queries/devices/v1", parameters: { limit: 1 } });

      // @ts-expect-error a required body field missing in the keyword form
      void hosts.performActionV2({ action_name: "contain" });
      // @ts-expect-error a required query parameter missing
      void hosts.performActionV2({ ids: ["a"] });
      // @ts-expect-error an action_name typo
      void hosts.performActionV2({ action_name: "contian", ids: ["a"] });
      // @ts-expect-error RTR_InitSession needs device_id
      void rtr.rtrInitSession({ queue_offline: true });
      // @ts-expect-error RTR_ExecuteCommand needs session_id (reviewed: spec/required-body-fields.ts)
      void uber.command("RTR_ExecuteCommand", { base_command: "ls", command_string: "ls" });
      // @ts-expect-error misspelt command() ID
      void uber.command("QueryDevicesByFilterScrol", { limit: 1 });
      // @ts-expect-error misspelt key under a valid ID
      void uber.command("QueryDevicesByFilterScroll", { limt: 1 });
      // @ts-expect-error wrong value type under a valid ID
      void uber.command("QueryDevicesByFilterScroll", { limit: "1" });
      // @ts-expect-error missing required query parameter
      void uber.command("GetDeviceDetailsV2", {});
      // @ts-expect-error the parameters form still checks the required parameter is there
      void uber.command("GetDeviceDetailsV2", { parameters: { limit: 1 } });
    };
    expect(typeof check).toBe("function");
  });
});
