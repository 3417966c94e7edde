/**
 * A console's official swagger.json has none of our `x-cs-*` extensions, spells ~370 operation
 * IDs with the original dots and dashes (`GetOnlineState.V1`, `RTR-GetPut-Files`) and may spell
 * its tags differently. Generating from that form of the committed spec, with only the committed
 * naming data, gives the same classes, folders and methods as today's generated/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kebabCase } from "change-case";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../codegen/model.js";
import { DEFAULT_NAMES, DEFAULT_OPERATION_NAMES, DEFAULT_SPEC, REPO_ROOT } from "../../spec/locate.js";
import { applyNamingData, readFalconPyNames, readNamingData } from "../../spec/names.js";
import { applyPatches } from "../../spec/patches.js";
import { eachOperation, readSwagger, type SwaggerDocument } from "../../spec/swagger.js";

/** Drops every `x-cs-*` key at any depth. */
function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !k.startsWith("x-cs-"))
      .map(([k, v]) => [k, withoutExtensions(v)]),
  );
}

/** The committed spec as a console would serve it. */
function consoleForm(): { doc: SwaggerDocument; renamed: number } {
  const doc = readSwagger(DEFAULT_SPEC);
  const originals = new Map<string, string>();
  for (const { op } of eachOperation(doc)) {
    const original = (op["x-cs-deprecated-operation-ids"] ?? []).find(
      (d) => /[.-]/.test(d) && d.replace(/[.-]/g, "_") === op.operationId,
    );
    if (original) originals.set(op.operationId, original);
  }
  const stripped = withoutExtensions(doc) as SwaggerDocument;
  for (const { op } of eachOperation(stripped)) {
    op.operationId = originals.get(op.operationId) ?? op.operationId;
    op.tags = op.tags?.map((t) => kebabCase(t).toUpperCase());
  }
  return { doc: stripped, renamed: originals.size };
}

/** Class -> folder and `Class.method` lines of an API surface file. */
function surfaceNames(surface: string): { classes: string[]; methods: string[] } {
  const classes = [...surface.matchAll(/^class (\S+) \(falconts\/(\S+)\)/gm)].map((m) => `${m[1]}@${m[2]}`);
  const methods = [...surface.matchAll(/^ {2}(\S+\.\S+) {2}[A-Z]+ /gm)].map((m) => m[1]!);
  return { classes: classes.sort(), methods: methods.sort() };
}

describe("a console's swagger.json", () => {
  it("gets today's class names, folders and camelCase methods from the committed naming data", () => {
    const { doc, renamed } = consoleForm();
    expect(renamed).toBeGreaterThan(300);
    expect(JSON.stringify(doc)).not.toContain('"x-cs-');

    const naming = applyNamingData(doc, readNamingData(DEFAULT_OPERATION_NAMES));
    expect(naming.unknown).toEqual([]);
    expect(naming.renamed).toBe(renamed);
    applyPatches(doc);
    const model = buildModel(doc, readFalconPyNames(DEFAULT_NAMES));

    const today = surfaceNames(readFileSync(join(REPO_ROOT, "generated", "api-surface.txt"), "utf8"));
    expect(model.classes.map((c) => `${c.name}@${c.dir}`).sort()).toEqual(today.classes);
    expect(model.classes.flatMap((c) => c.ops.map((op) => `${c.name}.${op.methodName}`)).sort()).toEqual(today.methods);
    // The console's own spelling stays callable: it is one of the operation's deprecated IDs.
    const hosts = model.classes.find((c) => c.name === "Hosts")!;
    expect(hosts.ops.find((op) => op.id === "GetOnlineState_V1")!.aliases).toContain("GetOnlineState.V1");
  });

  it("an operation the naming data does not know keeps its own ID and joins its collection by tag spelling", () => {
    const { doc } = consoleForm();
    doc.paths["/devices/entities/brand-new/v1"] = {
      get: { operationId: "GetBrandNew", tags: ["HOSTS"], responses: { "200": { description: "OK" } } },
    };
    const naming = applyNamingData(doc, readNamingData(DEFAULT_OPERATION_NAMES));
    expect(naming.unknown).toEqual(["GetBrandNew (GET /devices/entities/brand-new/v1)"]);
    expect(doc.paths["/devices/entities/brand-new/v1"]!.get!.tags).toEqual(["hosts"]);
  });
});
