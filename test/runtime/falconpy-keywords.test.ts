/**
 * FalconPy's argument conveniences as a pure step (runtime/falconpy-keywords.ts), through the
 * router: positional ids, comma lists in bodies, convenience keywords, call-option hints.
 */
import { describe, expect, it } from "vitest";
import { KeywordsOnly, PayloadValidationError } from "../../runtime/errors.js";
import { falconPyArguments } from "../../runtime/falconpy-keywords.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { compileOperation, routeRequest } from "../../runtime/payload.js";

const postIds: OperationSpec = {
  id: "PostDeviceDetailsV2",
  method: "POST",
  path: "/devices/entities/devices/v2",
  tag: "hosts",
  params: [{ name: "body", in: "body" }],
  bodyKeys: ["ids"],
  bodyArrays: ["ids"],
};
const queryIds: OperationSpec = {
  id: "GetDeviceDetailsV2",
  method: "GET",
  path: "/devices/entities/devices/v2",
  tag: "hosts",
  params: [{ name: "ids", in: "query", type: "array", collectionFormat: "multi", required: true }],
};
const batch: OperationSpec = {
  id: "BatchCmd",
  method: "POST",
  path: "/real-time-response/combined/batch-command/v1",
  tag: "real_time_response",
  params: [
    { name: "timeout", in: "query", type: "integer" },
    { name: "body", in: "body" },
  ],
  bodyKeys: ["base_command", "batch_id", "command_string", "optional_hosts", "persist_all"],
  bodyArrays: ["optional_hosts"],
};
const alerts: OperationSpec = {
  id: "PatchEntitiesAlertsV3",
  method: "PATCH",
  path: "/alerts/entities/alerts/v3",
  tag: "alerts",
  params: [{ name: "body", in: "body" }],
  bodyKeys: ["action_parameters", "composite_ids"],
  bodyArrays: ["composite_ids"],
};
const ioc: OperationSpec = {
  id: "indicator_create_v1",
  method: "POST",
  path: "/iocs/entities/indicators/v1",
  tag: "ioc",
  params: [
    { name: "retrodetects", in: "query", type: "boolean" },
    { name: "body", in: "body" },
  ],
  bodyKeys: ["comment", "indicators"],
};
const policy: OperationSpec = {
  id: "createSensorUpdatePoliciesV2",
  method: "POST",
  path: "/policy/entities/sensor-update/v2",
  tag: "sensor_update_policies",
  params: [{ name: "body", in: "body" }],
  bodyKeys: ["resources"],
};

const body = (op: OperationSpec, args: unknown) =>
  JSON.parse(String(routeRequest(compileOperation(op), args).body)) as unknown;

describe("FalconPy argument conveniences", () => {
  it("ids positionally: a list or a comma string, into the body or the query", () => {
    expect(body(postIds, "a,b")).toEqual({ ids: ["a", "b"] });
    expect(body(postIds, ["a"])).toEqual({ ids: ["a"] });
    expect(routeRequest(compileOperation(queryIds), "a,b").path).toBe("/devices/entities/devices/v2?ids=a&ids=b");
  });

  it("positional arguments where there are no ids, or a number: KeywordsOnly naming the operation", () => {
    expect(() => falconPyArguments(compileOperation(batch), "a,b")).toThrow(KeywordsOnly);
    expect(() => falconPyArguments(compileOperation(batch), "a,b")).toThrow(
      /BatchCmd takes its arguments as an object of keywords/,
    );
    expect(() => falconPyArguments(compileOperation(batch), 42)).toThrow(/not number/);
  });

  it("a comma string for a body list is split; a list stays; a query parameter of the name is left to routing", () => {
    expect(body(batch, { batch_id: "b", base_command: "ls", command_string: "ls", optional_hosts: "h1,h2" })).toEqual({
      batch_id: "b",
      base_command: "ls",
      command_string: "ls",
      optional_hosts: ["h1", "h2"],
    });
    expect(body(postIds, { ids: ["a,b"] })).toEqual({ ids: ["a,b"] });
    // an explicit body is the caller's: not rewritten
    expect(body(postIds, { body: { ids: "a,b" } })).toEqual({ ids: "a,b" });
  });

  it("timeout is an argument where the operation has that parameter, a call option elsewhere", () => {
    expect(routeRequest(compileOperation(batch), { batch_id: "b", timeout: 30 }).path).toBe(
      "/real-time-response/combined/batch-command/v1?timeout=30",
    );
    for (const name of ["timeout", "stream", "pythonic", "signal"]) {
      const call = () => routeRequest(compileOperation(postIds), { ids: ["a"], [name]: true });
      expect(call).toThrow(PayloadValidationError);
      expect(call).toThrow(
        new RegExp(`${name} is a call option, not an argument of PostDeviceDetailsV2: pass it as the second argument`),
      );
    }
  });

  it("alerts: action keywords become action_parameters in FalconPy's order, next to the ids", () => {
    expect(body(alerts, { composite_ids: "c1", show_in_ui: true, update_status: "closed", add_tag: "t" })).toEqual({
      action_parameters: [
        { name: "update_status", value: "closed" },
        { name: "add_tag", value: "t" },
        { name: "show_in_ui", value: true },
      ],
      composite_ids: ["c1"],
    });
  });

  it("IOC: item keywords into indicators[0], lists split, filename into metadata; query parameters and top-level fields kept", () => {
    const routed = routeRequest(compileOperation(ioc), {
      type: "md5",
      value: "x",
      tags: "a,b",
      filename: "f.exe",
      comment: "c",
      retrodetects: true,
    });
    expect(routed.path).toBe("/iocs/entities/indicators/v1?retrodetects=true");
    expect(JSON.parse(String(routed.body))).toEqual({
      indicators: [{ type: "md5", value: "x", tags: ["a", "b"], metadata: { filename: "f.exe" } }],
      comment: "c",
    });
  });

  it("sensor update policies: settings keywords nest under settings; an explicit body's own keys win", () => {
    expect(body(policy, { name: "n", platform_name: "Linux", build: "n-1", uninstall_protection: "ENABLED" })).toEqual({
      resources: [{ name: "n", platform_name: "Linux", settings: { build: "n-1", uninstall_protection: "ENABLED" } }],
    });
    expect(body(policy, { name: "n", body: { resources: [{ name: "mine", platform_name: "Mac" }] } })).toEqual({
      resources: [{ name: "mine", platform_name: "Mac" }],
    });
  });

  it("an ordinary call is passed through untouched (the same object)", () => {
    const args = { ids: ["a"] };
    expect(falconPyArguments(compileOperation(queryIds), args)).toBe(args);
    expect(falconPyArguments(compileOperation(queryIds), undefined)).toBeUndefined();
  });
});
