import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffOperations, operationFingerprints } from "../../codegen/changes.js";
import { wrapDocComments } from "../../codegen/format.js";
import { generate, type GenerateResult } from "../../codegen/generate.js";
import { handDataWarnings } from "../../codegen/hand-data.js";
import { compareSurface } from "../../codegen/surface.js";
import { writeGenerated } from "../../codegen/write.js";
import { REPO_ROOT, SpecNotFound, locateSpec } from "../../spec/locate.js";
import { InvalidSpec, parseSwagger, type SwaggerDocument } from "../../spec/swagger.js";

const FIXTURE = join(REPO_ROOT, "test", "fixtures", "mini-swagger.json");
const OUT = join(REPO_ROOT, ".tmp", `codegen-fixture-${process.pid}`);
const NAMES = {
  falconpy: {
    classes_by_tag: {
      hosts: ["Hosts"],
      ioc: ["IOC"],
      iocs: ["IOC", "Iocs"],
      ods: ["ODS"],
      real_time_response: ["RealTimeResponse"],
    },
  },
};
const fixture = (): SwaggerDocument => parseSwagger(readFileSync(FIXTURE, "utf8"), FIXTURE);

let result: GenerateResult;
const file = (path: string) => {
  const text = result.files.get(path);
  if (text === undefined) throw new Error(`no generated file ${path}; have ${[...result.files.keys()].join(", ")}`);
  return text;
};

beforeAll(async () => {
  result = await generate(fixture(), NAMES, { runtimeFromRoot: "../../runtime" });
  rmSync(OUT, { recursive: true, force: true });
  for (const [path, text] of result.files) {
    mkdirSync(dirname(join(OUT, path)), { recursive: true });
    writeFileSync(join(OUT, path), text);
  }
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe("generator on the fixture spec", () => {
  it("emits one folder per tag and the FalconPy class names", () => {
    expect(result.counts).toMatchObject({ collections: 6, operations: 16 });
    expect(result.model.classes.map((c) => `${c.name}@${c.dir}`).sort()).toEqual(
      [
        "Default@default",
        "Hosts@hosts",
        "IOC@ioc",
        "Iocs@iocs",
        "ODS@ods",
        "RealTimeResponse@real-time-response",
      ].sort(),
    );
    // IOC spans both tags; Iocs is FalconPy's deprecated class for `iocs` alone.
    const ioc = result.model.classes.find((c) => c.name === "IOC")!;
    expect(ioc.ops.map((o) => o.id).sort()).toEqual(["DevicesCount", "indicator.get.v1"]);
    expect(result.model.classes.find((c) => c.name === "Iocs")!.deprecated).toBe(true);
  });

  it("names methods in camelCase and keeps the exact ID as an alias, quoted where it is not an identifier", () => {
    const rtr = file("real-time-response/index.ts");
    expect(rtr).toMatch(
      /\n {2}rtrCreatePutFiles<P extends boolean = Mode, S extends boolean = false>\(args: RtrCreatePutFilesArgs = \{\}, options\?: CallOptions<P, S>\)/,
    );
    expect(rtr).toContain('readonly "RTR-CreatePut-Files": RealTimeResponse<Mode>["rtrCreatePutFiles"];');
    expect(rtr).toContain('"RTR-CreatePut-Files": "rtrCreatePutFiles",');
    const hosts = file("hosts/index.ts");
    expect(hosts).toContain('readonly "entities.perform_action": Hosts<Mode>["entitiesPerformAction"];');
    // FalconPy's payload form (required inputs in `parameters` or `body`) is a first overload;
    // the keyword form comes last, so the compiler reports its error (naming the argument).
    expect(hosts).toContain(
      "entitiesPerformAction<P extends boolean = Mode, S extends boolean = false>(args: EntitiesPerformActionPayloadArgs, options?: CallOptions<P, S>): Promise<",
    );
    expect(hosts).toMatch(
      /entitiesPerformAction<P extends boolean = Mode, S extends boolean = false>\(args: EntitiesPerformActionArgs, options\?: CallOptions<P, S>\): Promise<[^\n]+;\n/,
    );
    expect(file("hosts/args.ts")).toContain(
      'export type EntitiesPerformActionPayloadArgs = Omit<EntitiesPerformActionArgs, "action_name">',
    );
    expect(file("hosts/args.ts")).not.toContain("QueryDevicesByFilterScrollPayloadArgs");
    const ods = file("ods/index.ts");
    expect(ods).toContain('readonly "scans-report": ODS<Mode>["scansReport"];');
  });

  it("resolves colliding camelCase names and aliases deterministically, with warnings", () => {
    const hosts = result.model.classes.find((c) => c.name === "Hosts")!;
    const byId = new Map(hosts.ops.map((o) => [o.id, o]));
    // get_thing serves /things/v2 (newer), so it keeps the plain name.
    expect(byId.get("get_thing")!.methodName).toBe("getThing");
    expect(byId.get("GetThing")!.methodName).toBe("getThing2");
    expect(byId.get("GetThing")!.aliases).toContain("GetThing");
    // Both versions list GetDeviceDetails as a deprecated ID: the newest operation keeps it.
    expect(byId.get("GetDeviceDetailsV2")!.aliases).toContain("GetDeviceDetails");
    expect(byId.get("GetDeviceDetailsV1")!.aliases).not.toContain("GetDeviceDetails");
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("method name getThing of GetThing collides with get_thing; named getThing2"),
        expect.stringContaining(
          "deprecated alias GetDeviceDetails of GetDeviceDetailsV1 is taken by GetDeviceDetailsV2",
        ),
      ]),
    );
  });

  it("writes the routing table: in, type, collectionFormat, required, consumes, produces, body keys, binary", async () => {
    const hosts = (await import(join(OUT, "hosts", "index.ts"))).operations();
    expect(hosts.GetDeviceDetailsV2.params).toEqual([
      { name: "ids", in: "query", type: "array", items: "string", collectionFormat: "multi", required: true },
    ]);
    expect(hosts.GetThing.params[0]).toMatchObject({ collectionFormat: "csv" });
    expect(hosts.PerformActionV2.params.map((p: { in: string }) => p.in)).toEqual(["query", "header", "body"]);
    expect(hosts.PerformActionV2.bodyKeys).toEqual(["action", "action_parameters", "ids"]);
    expect(hosts.PerformActionV2.consumes).toBeUndefined(); // JSON is the default, left out to keep tables small
    const rtr = (await import(join(OUT, "real-time-response", "index.ts"))).operations();
    expect(rtr["RTR-CreatePut-Files"]).toMatchObject({ method: "POST", consumes: ["multipart/form-data"] });
    expect(rtr["RTR-CreatePut-Files"].params[0]).toEqual({
      name: "file",
      in: "formData",
      type: "file",
      required: true,
    });
    expect(rtr["RTR-GetExtractedFileContents"].binary).toBe(true);
    expect(rtr.RTR_GetPutFileContents.binary).toBe(true); // byte array patched to binary
    const scripts = (await import(join(OUT, "default", "index.ts"))).operations();
    expect(scripts.GetScript.params[0]).toEqual({ name: "id", in: "path", type: "string", required: true });
  });

  it("applies the spec patches it needs and reports them", () => {
    const byId = Object.fromEntries(result.patches.map((p) => [p.id, p.changes]));
    expect(byId["binary-byte-arrays"]).toEqual(["RTR_GetPutFileContents 200"]);
    expect(byId["comma-joined-enums"]).toEqual(["definitions.msa.EntityActionRequestV2.properties.action"]);
  });

  it("builds zod payload schemas that accept valid and reject invalid payloads", async () => {
    const { schemas } = await import(join(OUT, "hosts", "schemas.ts"));
    const perform = schemas.PerformActionV2();
    expect(perform.body.safeParse({ ids: ["a"], action: "SILENT" }).success).toBe(true);
    const bad = perform.body.safeParse({ action: "LOUD", action_parameters: [{ name: 1 }] });
    expect(bad.success).toBe(false);
    expect(bad.error.issues.map((i: { path: unknown[] }) => i.path.join("."))).toEqual(
      expect.arrayContaining(["ids", "action", "action_parameters.0.name"]),
    );
    // Top-level required body fields follow the reviewed list, as the argument types do:
    // PerformActionV2's `ids` is listed; the same model under entities.perform_action is not.
    expect(perform.body.safeParse({ action: "SILENT" }).success).toBe(false);
    expect(
      schemas["entities.perform_action"]().body.safeParse({ action_parameters: [{ name: "a", value: "b" }] }).success,
    ).toBe(true);
    expect(schemas["entities.perform_action"]().body.safeParse({ action_parameters: [{ name: 1 }] }).success).toBe(
      false,
    );
    expect(perform.query.safeParse({ action_name: "contain" }).success).toBe(true);
    expect(perform.query.safeParse({ action_name: "explode" }).success).toBe(false);
    expect(perform.header.safeParse({ "X-CS-USERNAME": "me" }).success).toBe(true);
    const scroll = schemas.QueryDevicesByFilterScroll();
    expect(scroll.query.safeParse({ limit: 0 }).success).toBe(false);
    expect(scroll.query.safeParse({ limit: 10, sort: "hostname.asc" }).success).toBe(true);
    const { schemas: rtr } = await import(join(OUT, "real-time-response", "schemas.ts"));
    const put = rtr["RTR-CreatePut-Files"]();
    expect(put.formData.safeParse({ file: new Uint8Array([1]), description: "d" }).success).toBe(true);
    expect(put.formData.safeParse({ file: new Uint8Array([1]) }).success).toBe(false);
  });

  it("types arguments and results from the openapi-typescript types", () => {
    const args = file("hosts/args.ts");
    expect(args).toContain('import type { operations } from "./types.js";');
    expect(args).toMatch(
      /limit\?: NonNullable<operations\["QueryDevicesByFilterScroll"\]\["parameters"\]\["query"\]>\["limit"\];/,
    );
    expect(args).toMatch(
      /"X-CS-USERNAME"\?: NonNullable<operations\["PerformActionV2"\]\["parameters"\]\["header"\]>\["X-CS-USERNAME"\];/,
    );
    expect(args).toContain(
      'export type PerformActionV2Response = operations["PerformActionV2"]["responses"][202]["content"]["application/json"];',
    );
    expect(file("real-time-response/args.ts")).toContain(
      "export type RtrGetExtractedFileContentsResponse = Uint8Array;",
    );
    expect(file("types.ts".replace("types.ts", "hosts/types.ts"))).toContain("export interface operations");
    expect(args).not.toMatch(/\bany\b/);
  });

  it("is deterministic: the same spec gives byte-identical files", async () => {
    const again = await generate(fixture(), NAMES, { runtimeFromRoot: "../../runtime" });
    expect([...again.files.keys()]).toEqual([...result.files.keys()]);
    for (const [path, text] of again.files) expect(text, path).toBe(result.files.get(path));
  });

  it("writes an API surface snapshot listing every class, method and alias", () => {
    const surface = file("api-surface.txt");
    expect(surface).toContain("class Hosts (falconts/hosts) extends ServiceClass");
    expect(surface).toContain(
      "  Hosts.queryDevicesByFilterScroll  GET /devices/queries/devices-scroll/v1  [QueryDevicesByFilterScroll]",
    );
    expect(surface).toContain('  RealTimeResponse["RTR-CreatePut-Files"] -> rtrCreatePutFiles');
    expect(surface).toContain("  Hosts.GetDeviceDetails -> getDeviceDetailsV2 [deprecated alias]");
  });

  it("emits code that passes strict tsc, and misuse gets messages naming the real problem", () => {
    // One program for both (building it is the slow part). Each misuse line is labelled; its
    // diagnostics must name the ID, key or argument, not the override form or `parameters`.
    const misuse: [label: string, code: string][] = [
      ["ok: keyword form", 'void hosts.performActionV2({ action_name: "contain", ids: ["a"] });'],
      [
        "ok: payload form",
        'void hosts.performActionV2({ parameters: { action_name: "contain" }, body: { ids: ["a"] } });',
      ],
      ["ok: command payload form", 'void uber.command("GetDeviceDetailsV2", { parameters: { ids: ["a"] } });'],
      ["ok: override", 'void uber.command({ override: "GET,/x/v1", parameters: { a: 1 } });'],
      ["missing body field", 'void hosts.performActionV2({ action_name: "contain" });'],
      ["action_name typo", 'void hosts.performActionV2({ action_name: "contian", ids: ["a"] });'],
      ["misspelt ID", 'void uber.command("QueryDevicesByFilterScrol", { limit: 1 });'],
      ["misspelt key", 'void uber.command("QueryDevicesByFilterScroll", { limt: 1 });'],
      ["wrong type", 'void uber.command("QueryDevicesByFilterScroll", { limit: "1" });'],
      ["missing query parameter", 'void uber.command("GetDeviceDetailsV2", {});'],
    ];
    const misuseFile = join(OUT, "misuse.ts");
    writeFileSync(
      misuseFile,
      [
        'import { Hosts } from "./hosts/index.js";',
        'import { APIHarnessV2 } from "./uber.js";',
        'const hosts = new Hosts({ accessToken: "t" });',
        'const uber = new APIHarnessV2({ accessToken: "t" });',
        ...misuse.map(([, code]) => code),
        "",
      ].join("\n"),
    );
    const roots = [...result.files.keys()].filter((p) => p.endsWith(".ts")).map((p) => join(OUT, p));
    const config = ts.getParsedCommandLineOfConfigFile(
      join(REPO_ROOT, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram([...roots, misuseFile], { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.startsWith(OUT));
    const problems = diagnostics
      .filter((d) => d.file!.fileName !== misuseFile)
      .map((d) => `${d.file!.fileName.slice(OUT.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);

    const byLabel = new Map<string, string>();
    for (const d of diagnostics.filter((d) => d.file!.fileName === misuseFile)) {
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line;
      const [label, code] = misuse[line - 4]!;
      const at = code.slice(d.file!.getLineAndCharacterOfPosition(d.start!).character).split(/[^\w"]/)[0];
      byLabel.set(
        label,
        `${byLabel.get(label) ?? ""}[at ${at}] ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`,
      );
    }
    for (const [label] of misuse.filter(([l]) => l.startsWith("ok:")))
      expect(byLabel.get(label), label).toBeUndefined();
    expect(byLabel.get("missing body field")).toMatch(/Property 'ids' is missing/);
    expect(byLabel.get("action_name typo")).toMatch(/'"contian"' is not assignable[\s\S]*Did you mean '"contain"'/);
    const command = ["misspelt ID", "misspelt key", "wrong type", "missing query parameter"];
    for (const label of command) expect(byLabel.get(label), label).not.toMatch(/override|OverridePayload|'parameters'/);
    expect(byLabel.get("misspelt ID")).toMatch(/Argument of type '"QueryDevicesByFilterScrol"' is not assignable/);
    expect(byLabel.get("misspelt key")).toMatch(/'limt' does not exist in type 'QueryDevicesByFilterScrollArgs'/);
    expect(byLabel.get("wrong type")).toMatch(/^\[at limit\][\s\S]*Type 'string' is not assignable to type 'number'/);
    expect(byLabel.get("missing query parameter")).toMatch(
      /Property 'ids' is missing in type '\{\}' but required in type 'GetDeviceDetailsV2Args'/,
    );
  }, 90_000);
});

describe("regeneration after an API change", () => {
  it("touches only the affected collections and the root files; the surface check tells breaks from additions", async () => {
    const doc = fixture();
    doc.info.version = "2099-01-01";
    doc.paths["/widgets/entities/widgets/v1"] = {
      get: {
        operationId: "GetWidgets",
        tags: ["widgets"],
        parameters: [{ name: "ids", in: "query", type: "array", items: { type: "string" }, collectionFormat: "csv" }],
        responses: { "200": { description: "OK", schema: { $ref: "#/definitions/msa.QueryResponse" } } },
      },
    };
    const scroll = doc.paths["/devices/queries/devices-scroll/v1"]!.get!;
    scroll.parameters!.find((p) => p.name === "filter")!.required = true;
    doc.definitions!["msa.EntityActionRequestV2"]!.properties!.comment = { type: "string" };
    doc.paths["/real-time-response/entities/put-files/v1"]!.delete!.deprecated = true;
    delete doc.paths["/scripts/entities/scripts/v1/{id}"];

    const after = await generate(doc, NAMES, { runtimeFromRoot: "../../runtime" });
    const touched = [...new Set([...after.files.keys(), ...result.files.keys()])].filter(
      (p) => after.files.get(p) !== result.files.get(p),
    );
    const folders = [...new Set(touched.map((p) => (p.includes("/") ? p.slice(0, p.indexOf("/")) : p)))].sort();
    expect(folders).toEqual([
      "api-surface.txt",
      "default",
      "hosts",
      "index.ts",
      "real-time-response",
      "spec-info.ts",
      "uber.ts",
      "widgets",
    ]);
    expect(touched).toEqual(expect.arrayContaining(["widgets/index.ts", "widgets/args.ts", "widgets/openapi.json"]));

    const surface = compareSurface(result.surface, after.surface);
    expect(surface.breaking).toEqual(
      expect.arrayContaining([
        "removed: method Default.getScript",
        "now required: argument Hosts.queryDevicesByFilterScroll(filter)",
      ]),
    );
    expect(
      surface.breaking.every((b) => /getScript|GetScript|queryDevicesByFilterScroll\(filter\)/.test(b)),
      surface.breaking.join("\n"),
    ).toBe(true);
    expect(surface.deprecations).toEqual(["deprecated: method RealTimeResponse.rtrDeletePutFiles"]);
    expect(surface.additions).toEqual(
      expect.arrayContaining([
        "added: class Widgets",
        "added: method Widgets.getWidgets",
        "added: argument Hosts.performActionV2(comment)",
      ]),
    );

    const fingerprints = (files: ReadonlyMap<string, string>) =>
      operationFingerprints(
        new Map([...files].filter(([p]) => p.endsWith("/openapi.json")).map(([p, t]) => [p, JSON.parse(t)])),
      );
    expect(diffOperations(fingerprints(result.files), fingerprints(after.files))).toEqual({
      added: ["GetWidgets"],
      removed: ["GetScript"],
      changed: ["PerformActionV2", "QueryDevicesByFilterScroll", "RTR-DeletePut-Files", "entities.perform_action"],
    });
  });

  it("a collection that disappears is removed with its folder", () => {
    const out = join(OUT, "write-test");
    rmSync(out, { recursive: true, force: true });
    writeGenerated(
      out,
      new Map([
        ["a/index.ts", "a"],
        ["b/index.ts", "b"],
        ["index.ts", "root"],
      ]),
    );
    const check = writeGenerated(
      out,
      new Map([
        ["a/index.ts", "a2"],
        ["index.ts", "root"],
      ]),
      { check: true },
    );
    expect(check).toEqual({ changed: ["a/index.ts"], stale: ["b/index.ts"] });
    expect(existsSync(join(out, "b"))).toBe(true);
    writeGenerated(
      out,
      new Map([
        ["a/index.ts", "a2"],
        ["index.ts", "root"],
      ]),
    );
    expect(existsSync(join(out, "b"))).toBe(false);
    expect(readFileSync(join(out, "a", "index.ts"), "utf8")).toBe("a2");
  });
});

describe("bad input", () => {
  it("a missing spec says where it looked and how to get one", () => {
    const missing = join(REPO_ROOT, "nope", "swagger.json");
    expect(() => locateSpec(["--spec", missing], {})).toThrow(SpecNotFound);
    expect(() => locateSpec(["--spec", missing], {})).toThrow(/nope\/swagger\.json \(--spec\)[\s\S]*Falcon console/);
    expect(() => locateSpec([], { FALCON_SPEC: missing })).toThrow(/\(FALCON_SPEC\)/);
  });

  it("an invalid spec names the JSON path that failed", () => {
    const doc = JSON.parse(readFileSync(FIXTURE, "utf8"));
    doc.paths["/devices/entities/devices/v2"].get.parameters[0].in = "cookie";
    expect(() => parseSwagger(JSON.stringify(doc), "bad.json")).toThrow(InvalidSpec);
    expect(() => parseSwagger(JSON.stringify(doc), "bad.json")).toThrow(
      '$.paths["/devices/entities/devices/v2"].get.parameters[0].in',
    );
    expect(() => parseSwagger("{", "broken.json")).toThrow(/broken\.json[\s\S]*not JSON/);
  });

  it("a dangling $ref names the missing definition and the operations that use it, in the Swagger document's terms", () => {
    const doc = JSON.parse(readFileSync(FIXTURE, "utf8"));
    delete doc.definitions["msa.ActionParameter"];
    expect(() => parseSwagger(JSON.stringify(doc), "bad.json")).toThrow(
      /at \$\.definitions\["msa\.EntityActionRequestV2"\]: definition msa\.EntityActionRequestV2 refers to #\/definitions\/msa\.ActionParameter, which is not defined; used by operation PerformActionV2 \(POST \/devices\/entities\/devices-actions\/v2\)/,
    );
    delete doc.definitions["msa.EntityActionRequestV2"];
    expect(() => parseSwagger(JSON.stringify(doc), "bad.json")).toThrow(
      /operation PerformActionV2 \(POST \/devices\/entities\/devices-actions\/v2\) refers to #\/definitions\/msa\.EntityActionRequestV2, which is not defined/,
    );
  });

  it("a tag that would take a subpath reserved for the runtime fails clearly", async () => {
    const doc = fixture();
    doc.paths["/testing/v1"] = {
      get: { operationId: "GetTesting", tags: ["testing"], responses: { "200": { description: "OK" } } },
    };
    await expect(generate(doc, NAMES, { runtimeFromRoot: "../../runtime" })).rejects.toThrow(
      /tag testing would take the subpath falconts\/testing, which is reserved for the runtime/,
    );
  });

  it("hand-kept data naming operations the spec lacks is a warning naming the file", () => {
    const warnings = handDataWarnings(result.model, fixture());
    expect(warnings).toContain(
      "spec/read-only-posts.ts: unknown operation ID PostDeviceDetailsV2 (not in the spec): remove or rename the entry",
    );
    expect(warnings).toContain(
      "spec/required-body-fields.ts: unknown operation ID RTR_InitSession (not in the spec): remove or rename the entry",
    );
    expect(warnings).toContain(
      "spec/prose-enums.ts: no definition property domain.DetectsEntitiesPatchRequest.status in the spec",
    );
    expect(warnings.some((w) => w.includes("PerformActionV2"))).toBe(false);
  });

  it("wraps JSDoc prose at the formatter's width, leaving code fences and unbreakable words", () => {
    const long = `  /** ${"word ".repeat(30).trim()} */`;
    const fence = [
      "  /**",
      "   * ```",
      `   * ${"x ".repeat(40).trim()}`,
      "   * ```",
      `   * see https://example.com/${"a".repeat(80)} now`,
      "   */",
    ].join("\n");
    const wrapped = wrapDocComments(`${long}\n${fence}`, 60).split("\n");
    expect(
      wrapped.every((l) => l.length <= 60 || l.includes("```") || l.includes("x x") || l.includes("https://")),
    ).toBe(true);
    expect(wrapped.slice(0, 2)).toEqual(["  /**", `   * ${"word ".repeat(11).trim()}`]);
    expect(wrapped).toContain(`   * ${"x ".repeat(40).trim()}`);
    expect(wrapped).toContain(`   * https://example.com/${"a".repeat(80)}`);
  });

  it("a duplicate operation ID is reported and resolved deterministically, not dropped silently", async () => {
    const doc = fixture();
    doc.paths["/things/v2"]!.get!.operationId = "GetThing";
    const out = await generate(doc, NAMES, { runtimeFromRoot: "../../runtime" });
    expect(out.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/duplicate operation ID GetThing \(GET \/things\/v1 and GET \/things\/v2\)/),
      ]),
    );
    expect(out.model.operationCount).toBe(15);
  });
});
