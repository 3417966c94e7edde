/**
 * runtime/index.ts names the error and warning classes one by one (a star re-export would
 * export the whole bundled runtime): every class errors.ts declares must be among them.
 */
import { describe, expect, it } from "vitest";
import * as errors from "../../runtime/errors.js";
import * as api from "../../runtime/index.js";

describe("the runtime's public API", () => {
  it("exports every error and warning class of errors.ts", () => {
    const classes = Object.entries(errors).filter(
      ([, v]) => typeof v === "function" && (v.prototype instanceof Error || v === errors.SDKError),
    );
    expect(classes.length).toBeGreaterThan(30);
    for (const [name, cls] of classes) expect((api as Record<string, unknown>)[name], name).toBe(cls);
    expect(Object.keys(api)).not.toContain("firstTimeOnly");
  });
});
