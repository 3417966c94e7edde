/**
 * The public API surface (every class, method, keyword argument and alias) against the accepted
 * snapshot, api-surface.snapshot.txt. What breaks users fails here until accepted on purpose
 * (`npm run surface:accept`); additions and new deprecations pass and are reported.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareSurface } from "../../codegen/surface.js";
import { REPO_ROOT } from "../../spec/locate.js";

describe("API surface", () => {
  it("generated/ breaks nothing in the accepted snapshot", () => {
    const accepted = readFileSync(join(REPO_ROOT, "api-surface.snapshot.txt"), "utf8");
    const current = readFileSync(join(REPO_ROOT, "generated", "api-surface.txt"), "utf8");
    const { breaking, additions, deprecations } = compareSurface(accepted, current);
    if (additions.length || deprecations.length) {
      console.log(
        `API surface: ${additions.length} additions, ${deprecations.length} new deprecations (npm run surface:accept records them)`,
      );
    }
    expect(breaking, "API surface broken: review, then `npm run surface:accept`").toEqual([]);
  });

  it("tells breaks from additions and deprecations", () => {
    const before = [
      "class Hosts (falconts/hosts) extends ServiceClass",
      "  Hosts.getThing  GET /things/v1  [GetThing]",
      "    ids?: string[] (query)",
      '    sort?: "a.asc" | "a.desc" (query)',
      "    limit?: number (query)",
      "  Hosts.GetThing -> getThing",
      "  Hosts.oldThing  GET /old/v1  [OldThing]",
      "  Hosts.keptThing  GET /kept/v1  [KeptThing]",
      "    mode: string (query)",
    ].join("\n");
    const after = [
      "class Hosts (falconts/hosts) extends ServiceClass",
      "  Hosts.getThing  GET /things/v1  [GetThing]",
      "    ids: string[] (query)",
      '    sort?: "a.asc" | "a.desc" | "b.asc" (query)',
      "    limit?: string (query)",
      "    filter?: string (query)",
      "  Hosts.GetThing -> getThing",
      "  Hosts.keptThing  GET /kept/v1  [KeptThing] [deprecated]",
      "    mode?: string (query)",
      "  Hosts.newThing  POST /new/v1  [NewThing]",
      "    name: string (body)",
    ].join("\n");
    const result = compareSurface(before, after);
    expect([...result.breaking].sort()).toEqual(
      [
        "now required: argument Hosts.getThing(ids)",
        "type changed: argument Hosts.getThing(limit): number (query) -> string (query)",
        "removed: method Hosts.oldThing",
      ].sort(),
    );
    expect(result.deprecations).toEqual(["deprecated: method Hosts.keptThing"]);
    expect([...result.additions].sort()).toEqual(
      [
        'type widened: argument Hosts.getThing(sort): "a.asc" | "a.desc" (query) -> "a.asc" | "a.desc" | "b.asc" (query)',
        "now optional: argument Hosts.keptThing(mode)",
        "added: argument Hosts.getThing(filter)",
        "added: method Hosts.newThing",
        "added: argument Hosts.newThing(name)",
      ].sort(),
    );
  });
});
