/**
 * Coverage from FalconPy's names data: every method and alias of every FalconPy class resolves
 * on the FalconTS class of the same name and calls the operation FalconPy's calls. Each
 * generated class is probed through a subclass whose `call` answers the operation it was given
 * (no network), so what is checked is the generated member itself, alias forwarding included.
 * The exceptions are the reviewed collisions and the names whose operation the spec lacks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as falconts from "../../generated/index.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { FALCONPY_NAMES_WITHOUT_OPERATION, REVIEWED_FALCONPY_COLLISIONS } from "../../spec/falconpy-collisions.js";
import { falconPyMemberName } from "../../codegen/falconpy-aliases.js";
import { DEFAULT_NAMES, DEFAULT_SPEC } from "../../spec/locate.js";

interface Names {
  classes_by_tag: Record<string, string[]>;
  methods: Record<string, Record<string, { operation: string }>>;
  aliases: Record<string, Record<string, string>>;
}

/** Operation ID or deprecated ID -> current operation ID, from the spec. */
function currentIds(): Map<string, string> {
  const doc = JSON.parse(readFileSync(DEFAULT_SPEC, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string; "x-cs-deprecated-operation-ids"?: string[] }>>;
  };
  const map = new Map<string, string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (typeof op !== "object" || !op.operationId) continue;
      map.set(op.operationId, op.operationId);
      for (const d of op["x-cs-deprecated-operation-ids"] ?? []) if (!map.has(d)) map.set(d, op.operationId);
    }
  }
  return map;
}

type AnyClass = new (options: object) => Record<string, unknown>;

/** An instance of `cls` whose operations resolve to the ID of the operation they would send. */
function probe(cls: AnyClass): Record<string, unknown> {
  const Probe = class extends cls {
    call(operation: OperationSpec): Promise<string> {
      return Promise.resolve(operation.id);
    }
  };
  return new Probe({ accessToken: "probe", baseUrl: "http://127.0.0.1:9" });
}

describe("FalconPy names coverage", () => {
  it("every FalconPy method and alias of every class resolves on the FalconTS class and calls FalconPy's operation", async () => {
    const names = JSON.parse(readFileSync(DEFAULT_NAMES, "utf8")) as Names;
    const current = currentIds();
    const classes = falconts as unknown as Record<string, AnyClass | undefined>;
    const collisions = new Map(REVIEWED_FALCONPY_COLLISIONS.map((c) => [`${c.className}.${c.falconpy}`, c]));
    const missing = new Map(FALCONPY_NAMES_WITHOUT_OPERATION.map((m) => [`${m.className}.${m.falconpy}`, m]));
    let total = 0;
    let resolved = 0;
    const exceptions: string[] = [];
    const failures: string[] = [];
    for (const className of Object.keys(names.methods).sort()) {
      const cls = classes[className];
      if (typeof cls !== "function") {
        failures.push(`class ${className} is not exported by falconts`);
        continue;
      }
      const instance = probe(cls);
      const all: [string, string][] = Object.keys(names.methods[className]!).map((m) => [m, m]);
      for (const [alias, method] of Object.entries(names.aliases[className] ?? {})) all.push([alias, method]);
      for (const [falconpy, method] of all) {
        total++;
        const key = `${className}.${falconpy}`;
        const member = falconPyMemberName(falconpy);
        const wanted = current.get(names.methods[className]![method]!.operation);
        const fn = instance[member];
        const calls =
          typeof fn === "function" ? await (fn as (a?: unknown) => Promise<unknown>).call(instance, {}) : undefined;
        if (missing.has(key)) {
          expect(wanted, `${key} is listed as having no operation`).toBeUndefined();
          exceptions.push(`${key}: ${missing.get(key)!.reason}`);
          continue;
        }
        const collision = collisions.get(key);
        if (collision) {
          // the member keeps FalconTS's meaning: the operation named in the table
          expect(calls, `${key} -> ${member}`).toBe(current.get(collision.taken) ?? collision.taken);
          expect(collision.reason.length).toBeGreaterThan(40);
          exceptions.push(`${key} (${member} calls ${collision.taken}): ${collision.reason}`);
          continue;
        }
        if (calls === wanted) resolved++;
        else failures.push(`${key} -> ${className}.${member}: calls ${String(calls)}, FalconPy calls ${wanted}`);
      }
    }
    expect(failures).toEqual([]);
    expect(resolved + exceptions.length).toBe(total);
    expect(exceptions).toHaveLength(REVIEWED_FALCONPY_COLLISIONS.length + FALCONPY_NAMES_WITHOUT_OPERATION.length);
    // 2,715 names in the names data: 1,363 methods and 1,352 aliases
    expect(total).toBe(2715);
    console.log(
      `FalconPy names resolved: ${resolved}/${total}; justified exceptions: ${exceptions.length}\n  ${exceptions.join("\n  ")}`,
    );
  });

  it("every member a reviewed collision recommends exists on its class", () => {
    const classes = falconts as unknown as Record<string, AnyClass>;
    for (const c of REVIEWED_FALCONPY_COLLISIONS) {
      const advice = /Call (\w+)(?: \/ (\w+))?/.exec(c.reason);
      expect(advice, c.reason).not.toBeNull();
      probe(classes[c.className]!); // aliases are installed on first construction
      for (const member of advice!.slice(1).filter(Boolean))
        expect(typeof classes[c.className]!.prototype[member], `${c.className}.${member}`).toBe("function");
    }
  });

  it("FalconPy's class names are exported, with the deprecated ones marked", () => {
    const names = JSON.parse(readFileSync(DEFAULT_NAMES, "utf8")) as Names;
    const classes = falconts as unknown as Record<string, { deprecatedClass?: string } | undefined>;
    for (const list of Object.values(names.classes_by_tag))
      for (const name of list) expect(typeof classes[name], name).toBe("function");
    expect(classes.Iocs?.deprecatedClass).toBe("IOC");
    expect(classes.APIHarness?.deprecatedClass).toBe("APIHarnessV2");
  });
});
