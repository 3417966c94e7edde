/**
 * The public API surface (every class, method and alias) is pinned by api-surface.snapshot.txt.
 * A regeneration that renames or drops a method fails here until the snapshot is updated on
 * purpose: `npm run surface:accept`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../../spec/locate.js";

it("the generated API surface matches the accepted snapshot", () => {
  const accepted = readFileSync(join(REPO_ROOT, "api-surface.snapshot.txt"), "utf8").split("\n");
  const current = readFileSync(join(REPO_ROOT, "generated", "api-surface.txt"), "utf8").split("\n");
  const now = new Set(current);
  const before = new Set(accepted);
  const removed = accepted.filter((line) => !now.has(line));
  const added = current.filter((line) => !before.has(line));
  expect({ removed, added }, "API surface changed: review, then `npm run surface:accept`").toEqual({ removed: [], added: [] });
});
