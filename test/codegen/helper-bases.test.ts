/**
 * The reviewed table of handwritten base classes (codegen/helper-bases.ts): every entry names a
 * generated class, that class extends the base, and the base is a ServiceClass.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { HELPER_BASES } from "../../codegen/helper-bases.js";
import { EventStreams } from "../../generated/event-streams/index.js";
import { EventStreamsBase } from "../../runtime/helpers/event-streams.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { REPO_ROOT } from "../../spec/locate.js";

const surface = readFileSync(join(REPO_ROOT, "generated", "api-surface.txt"), "utf8");

it.each(Object.entries(HELPER_BASES))("%s extends its handwritten base, a ServiceClass", async (name, helper) => {
  expect(surface).toMatch(new RegExp(`^class ${name} \\(falconts/[a-z0-9-]+\\) extends ${helper.base}$`, "m"));
  const url = pathToFileURL(join(REPO_ROOT, "runtime", helper.module.replace(/\.js$/, ".ts"))).href;
  const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  const base = mod[helper.base] as { prototype: object };
  expect(typeof base).toBe("function");
  expect(base.prototype instanceof ServiceClass).toBe(true);
  expect(helper.reason.length).toBeGreaterThan(20);
});

it("EventStreams carries read() and its generated operations", () => {
  const streams = new EventStreams({ clientId: "id", clientSecret: "secret", baseUrl: "https://127.0.0.1:1" });
  expect(streams).toBeInstanceOf(EventStreamsBase);
  expect(streams).toBeInstanceOf(ServiceClass);
  expect(typeof streams.read).toBe("function");
  expect(typeof streams.listAvailableStreamsOAuth2).toBe("function");
  // nothing is sent until the first next(): a feed that is closed at once never touches the network
  return streams.read({ appId: "unused" }).close();
});
