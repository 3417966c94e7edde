import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, unsupportedNode } from "../../runtime/engine.js";

describe("Node.js version guard", () => {
  it("accepts the minimum and newer versions, and runtimes that report none", () => {
    for (const v of [MINIMUM_NODE, "20.19.0", "v22.1.0", "24.0.0", undefined])
      expect(unsupportedNode(v), String(v)).toBeUndefined();
  });
  it("names the required and the running version for older ones", () => {
    expect(unsupportedNode("18.20.4")).toBe(
      `falconts needs Node.js >= ${MINIMUM_NODE} (package.json "engines"); this is Node.js 18.20.4. Please upgrade Node.js.`,
    );
    expect(unsupportedNode("20.18.0")).toMatch(/needs Node\.js >= 20\.18\.1/);
  });
  it("matches package.json engines", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
  });
});
