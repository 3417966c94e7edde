/**
 * docs/porting-from-falconpy.md stays true to the code: it lists every FalconPy class with the
 * import path the generator gives it, every reviewed collision and name without operation, and
 * every convenience keyword of the runtime's table.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONVENIENCE_KEYWORDS, ruleKeywords } from "../../runtime/falconpy-keywords.js";
import { FALCONPY_NAMES_WITHOUT_OPERATION, REVIEWED_FALCONPY_COLLISIONS } from "../../spec/falconpy-collisions.js";
import { DEFAULT_NAMES } from "../../spec/locate.js";

const guide = readFileSync(new URL("../../docs/porting-from-falconpy.md", import.meta.url), "utf8");
const surface = readFileSync(new URL("../../generated/api-surface.txt", import.meta.url), "utf8");

describe("the porting guide", () => {
  it("lists every FalconPy class with its FalconTS import path", () => {
    const names = JSON.parse(readFileSync(DEFAULT_NAMES, "utf8")) as { classes_by_tag: Record<string, string[]> };
    const paths = new Map([...surface.matchAll(/^class (\w+) \((falconts\/[\w-]+)\)/gm)].map((m) => [m[1]!, m[2]!]));
    for (const cls of new Set(Object.values(names.classes_by_tag).flat())) {
      expect(guide, cls).toContain(`| \`${cls}\` | \`import { ${cls} } from "${paths.get(cls)}"\``);
    }
    expect(guide).toContain("`APIHarnessV2` (Uber class)");
    expect(guide).toContain("`APIHarness` (legacy Uber class)");
  });

  it("shows every reviewed collision and every FalconPy name without an operation", () => {
    for (const c of REVIEWED_FALCONPY_COLLISIONS)
      expect(guide).toContain(
        `| \`${c.className}\` | \`${c.falconpy}\` | \`${c.member}\` | ${c.taken} | ${c.falconpyOperation} |`,
      );
    for (const m of FALCONPY_NAMES_WITHOUT_OPERATION)
      expect(guide).toContain(`| \`${m.className}\` | \`${m.falconpy}\` |`);
  });

  it("lists every convenience keyword and the method of every operation that takes them", () => {
    for (const [id, rule] of Object.entries(CONVENIENCE_KEYWORDS)) {
      const line = new RegExp(`^ {2}(\\w+)\\.(\\w+) {2}\\S+ \\S+ {2}\\[${id}\\](?: \\[deprecated\\])?$`, "m").exec(
        surface,
      );
      expect(line, id).not.toBeNull();
      const [, cls, method] = line!;
      // the method itself, or one of its FalconPy aliases, is named in the guide's table
      const aliases = [...surface.matchAll(new RegExp(`^ {2}${cls}\\.(\\w+) -> ${method} \\[FalconPy`, "gm"))].map(
        (m) => m[1]!,
      );
      expect(
        [method!, ...aliases].some((name) => guide.includes(`${cls}.${name}`) || guide.includes(`\`${name}\``)),
        `${id}: ${cls}.${method}`,
      ).toBe(true);
      for (const keyword of ruleKeywords(rule)) expect(guide, `${id}: ${keyword}`).toContain(`\`${keyword}\``);
    }
  });
});
